"""Writes of the reports app: the ministries' forms."""

from files.storage import delete_on_commit

from .models import ReportForm


def report_form_save(*, form: ReportForm, user=None) -> ReportForm:
    """Saves a form; a new file is checked (see the model's clean), recorded as uploaded by
    `user`, and the file it replaces is removed once the change is committed."""
    form.full_clean()
    if not form.file._committed:
        form.uploaded_by = user
        if form.pk is not None:
            replaced = ReportForm.objects.filter(pk=form.pk).values_list("file", flat=True).first()
            delete_on_commit(form.file.storage, replaced)
    form.save()
    return form
