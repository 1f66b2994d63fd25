"""The three staff roles (README, Roles) and the permissions each group holds.

The groups are set to exactly these permissions after every migrate (post_migrate), so a new
model's permissions reach the roles with no data migration; run twice, it changes nothing.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

COORDINATORS = "Coordinators"
MINISTRY_OFFICERS = "Ministry officers"
VIEWERS = "Viewers"

# Apps whose every model is domain data: coordinators manage all of it, everyone else views it.
DOMAIN_APPS = ("stakeholders", "events", "followups", "pledges", "feedback", "reports")
# Reminder schedules, the outbox, sign-in lock-outs (to see and unlock them), webhooks.
COORDINATOR_EXTRA_APPS = ("django_celery_beat", "notifications", "axes", "webhooks")
INTERNAL_MEETINGS = ("events", "view_internal_meeting")
# Marks a user whose requests are narrowed to their own ministry; coordinators go without it.
OWN_MINISTRY_ONLY = ("followups", "answer_own_ministry_requests")
CHANGE_REQUESTS = ("followups", "change_stakeholderrequest")
# Who looked at which contact's details: for coordinators, not for those it records.
COORDINATORS_ONLY = (("stakeholders", "view_contactaccess"),)
# To link a contact to an officer's account; managing accounts is for superusers.
VIEW_USERS = ("auth", "view_user")
# To see who signs in with an authenticator app and reset it for a colleague who lost theirs.
RESET_TWO_FACTOR = (("accounts", "view_authenticator"), ("accounts", "delete_authenticator"))
# To see whose API token exists and withdraw it; only its owner issues one (their own page).
WITHDRAW_TOKENS = (("accounts", "view_apitoken"), ("accounts", "delete_apitoken"))


def roles_sync(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Creates the groups and gives each exactly its permissions. Safe to run again.

    `apps` is the registry of the migrated state (post_migrate's). The permissions of every
    installed app are created first: Django creates each app's in its own post_migrate turn,
    and some come after this one.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = [
        p
        for p in Permission.objects.using(using).select_related("content_type")
        # Historical (audit) models are read through their object's history page.
        if not p.content_type.model.startswith("historical")
    ]

    def key(p):
        return (p.content_type.app_label, p.codename)

    def domain(*, view_only):
        return [
            p
            for p in perms
            if p.content_type.app_label in DOMAIN_APPS
            and (p.codename.startswith("view_") or not view_only)
            and key(p) not in COORDINATORS_ONLY
        ]

    def named(*pairs):
        return [p for p in perms if key(p) in pairs]

    coordinator = [
        p
        for p in perms
        if p.content_type.app_label in DOMAIN_APPS + COORDINATOR_EXTRA_APPS
        and key(p) != OWN_MINISTRY_ONLY
    ] + named(VIEW_USERS, *RESET_TWO_FACTOR, *WITHDRAW_TOKENS)
    roles = {
        COORDINATORS: coordinator,
        MINISTRY_OFFICERS: domain(view_only=True)
        + named(INTERNAL_MEETINGS, CHANGE_REQUESTS, OWN_MINISTRY_ONLY),
        VIEWERS: domain(view_only=True) + named(INTERNAL_MEETINGS),
    }
    for name, permissions in roles.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)


def after_migrate(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate (after migrate and flush): only once the tables exist (a partial migrate may
    stop short of them)."""
    try:
        apps.get_model("auth", "Group")
        apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    roles_sync(apps=apps, using=using)
