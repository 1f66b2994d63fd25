"""What this app holds about organizations (stakeholders.holders): a pledge's ministry."""

from stakeholders import holders

from .models import Commitment

holders.register(holders.Holder(model=Commitment, organizations=("ministry",)))
