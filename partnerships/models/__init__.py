"""The catalogue's data dictionary.

Places (of several levels) form partnerships; a partnership moves through
dated status steps; delegations travel between places and hold meetings;
people take part in meetings and delegations in an office they held at the
time; meetings produce outcomes (agreements, invitations, planned follow-ups)
and figures. Every record can cite passages of the source documents.

Every date that a source gives is uncertain to some degree, so it is stored
as an interval (earliest, latest) with its precision, shown as written.

The modules are imported in the order their models are declared in: the app
registry lists models in that order, and so do `Citation.citing_relations()`
and the serializers.
"""

# isort: off
from .base import (
    Calendar,
    CatalogueManager,
    Cited,
    DatePrecision,
    FuzzyDated,
    FuzzyDateQuerySet,
    Record,
    RecordQuerySet,
    catalogue_manager,
    drafts_hidden,
    expected_interval,
    prefixed,
    visible_rows,
    now_to_the_millisecond,
    slug_base,
    unique_slug,
)
from .sources import Citation, Source, SourceKind
from .places import (
    NameKind,
    Organisation,
    Place,
    PlaceLevel,
    PlaceName,
    PlaceNameQuerySet,
    PlaceRedirect,
    PlaceRedirectQuerySet,
    Venue,
)
from .people import Office, Person
from .topics import Topic, TopicQuerySet
from .partnerships import Partnership, PartnershipQuerySet, PartnershipStatus, StatusStep
from .meetings import (
    Delegation,
    DelegationMember,
    InOffice,
    InOfficeQuerySet,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    Role,
    Side,
)
from .outcomes import Figure, Outcome, OutcomeKind, OutcomeStatus
from .history import Revision, RevisionAction, RevisionQuerySet
from .desk import DeskDraft
from .signals import keep_time_of_unchanged_record, refresh_place_after_name_removed, refresh_search_text

# isort: on

__all__ = [
    # Shared building blocks
    "Calendar",
    "Cited",
    "DatePrecision",
    "FuzzyDateQuerySet",
    "FuzzyDated",
    "Record",
    "RecordQuerySet",
    "expected_interval",
    "now_to_the_millisecond",
    "slug_base",
    "unique_slug",
    # Drafts: what readers may see (publishing.py sets `drafts_hidden`)
    "CatalogueManager",
    "catalogue_manager",
    "drafts_hidden",
    "prefixed",
    "visible_rows",
    # Sources and citations
    "Citation",
    "Source",
    "SourceKind",
    # Places, organisations and venues
    "NameKind",
    "Organisation",
    "Place",
    "PlaceLevel",
    "PlaceName",
    "PlaceNameQuerySet",
    "PlaceRedirect",
    "PlaceRedirectQuerySet",
    "Venue",
    # People and offices
    "Office",
    "Person",
    # Topics
    "Topic",
    "TopicQuerySet",
    # Partnerships
    "Partnership",
    "PartnershipQuerySet",
    "PartnershipStatus",
    "StatusStep",
    # Delegations and meetings
    "Delegation",
    "DelegationMember",
    "InOffice",
    "InOfficeQuerySet",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Participant",
    "Role",
    "Side",
    # Outcomes and figures
    "Figure",
    "Outcome",
    "OutcomeKind",
    "OutcomeStatus",
    # Editors' history
    "Revision",
    "RevisionAction",
    "RevisionQuerySet",
    # The editors' desk
    "DeskDraft",
    # Derived search text and change times
    "keep_time_of_unchanged_record",
    "refresh_place_after_name_removed",
    "refresh_search_text",
]
