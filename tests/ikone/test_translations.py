"""Words that two apps translate differently: all apps share one German catalogue, so a bare
msgid reads as whichever app's translation wins. Such words carry a context."""

from django.utils import translation

from meetings.models import MinutesStatus
from members.models import MembershipApplication


def test_status_words_that_mean_different_things_in_two_apps():
    with translation.override("de"):
        assert str(MinutesStatus.APPROVED.label) == "genehmigt"  # minutes are approved
        assert str(MembershipApplication.Status.APPROVED.label) == "angenommen"
        assert str(MembershipApplication.Status.PENDING.label) == "offen"  # not "wartend"
    with translation.override("en"):
        assert str(MinutesStatus.APPROVED.label) == "approved"
        assert str(MembershipApplication.Status.PENDING.label) == "pending"
