"""The pre-meeting reminder carries each attendee's reply link. Only a rule still worded as
0007 made it is changed: a coordinator's own wording is kept."""

from django.db import migrations

OLD_KO_END = "\n자세한 내용: {{ url }}\n첨부한 일정 파일(.ics)을 열면 캘린더에 추가됩니다."
NEW_KO_END = (
    "\n참석 여부를 알려 주세요. 참석하기 어려우시면 대리 참석자를 지정하실 수 있습니다.\n"
    "{{ link }}\n" + OLD_KO_END
)
OLD_EN_END = "\nDetails: {{ url }}\nOpen the attached .ics file to add it to your calendar."
NEW_EN_END = (
    "\nPlease tell us whether you will attend, or name a colleague to attend in your place:\n"
    "{{ link }}\n" + OLD_EN_END
)


def add_reply_link(apps, schema_editor):
    _rewrite(apps, (OLD_KO_END, NEW_KO_END), (OLD_EN_END, NEW_EN_END))


def remove_reply_link(apps, schema_editor):
    _rewrite(apps, (NEW_KO_END, OLD_KO_END), (NEW_EN_END, OLD_EN_END))


def _rewrite(apps, korean, english):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for rule in ReminderRule.objects.filter(kind="events.pre_meeting"):
        if rule.body_ko.endswith(korean[0]) and rule.body_en.endswith(english[0]):
            rule.body_ko = rule.body_ko.removesuffix(korean[0]) + korean[1]
            rule.body_en = rule.body_en.removesuffix(english[0]) + english[1]
            rule.save(update_fields=["body_ko", "body_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_attendance_replies"),
        ("notifications", "0003_email_link"),
    ]

    operations = [migrations.RunPython(add_reply_link, remove_reply_link)]
