from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Roundtable")
admin.site.site_title = _("Roundtable")
admin.site.index_title = _("AI transformation relay roundtables")
