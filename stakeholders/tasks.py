from celery import shared_task

from . import services


@shared_task
def anonymise_contacts() -> int:
    """Erases the contacts past the retention period (as `anonymise_contacts --apply`)."""
    return services.contacts_anonymise(people=services.contacts_to_anonymise())
