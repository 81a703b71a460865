"""Signals other apps listen to, so this app never imports them."""

from django.dispatch import Signal

# Sent while a supervision is being opened, before its first save; kwargs: supervision.
# Receivers may set the intensity fields (policy_interval_days, risk_level, assessment_due) on it.
supervision_opening = Signal()

# Sent after a supervision's record is edited, in its transaction; kwargs: supervision (assessments
# works out the next assessment again: its dates and its stage bring it forward or move it).
supervision_changed = Signal()

# Sent after a supervision is closed; kwargs: supervision (programs schedules post-supervision follow-ups).
supervision_closed = Signal()

# Sent after a supervision closed by mistake is reopened, in its transaction; kwargs: supervision
# (programs takes back the post-supervision follow-ups its closure scheduled that are not done yet).
supervision_reopened = Signal()

# Sent after a violation is recorded, changed or deleted, in its transaction; kwargs: violation
# (assessments works out the client's reassessment again: a violation brings it forward).
violation_saved = Signal()

# Sent before a recidivism event recorded by mistake is deleted, in its transaction; kwargs: event,
# reason (programs records the follow-up that learned of it again, as one that found no new offence).
recidivism_deleting = Signal()

# Sent while a client's file moves to another office, in the transaction, before the client's office
# changes; kwargs: client, transfer (programs ends what the sending office still had going for the
# client: open enrolments are cancelled, follow-ups not yet done are taken off its list). A receiver
# may return a dict of what it ended, which the acceptance's audit entry keeps.
client_transferring = Signal()
