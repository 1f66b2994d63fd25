"""What this app holds about people and organizations (stakeholders.holders). What a company
asked, and the answer, stay after its contact is erased: they are the ministry's record."""

from stakeholders import holders

from .models import RequestAttachment, StakeholderRequest

holders.register(
    holders.Holder(
        model=StakeholderRequest,
        people=("person",),
        organizations=("organization", "ministry"),
        kept=("text", "response", "notes"),
        traces=(("person", "updated_at"),),
    )
)
holders.register(
    holders.Holder(
        model=RequestAttachment,
        people=("uploaded_by",),
        kept=("name",),  # the file's name, part of what was asked
    )
)
