from grappe.members.models.memberships import (
    ClusterProfile,
    CreditNote,
    CreditNoteCounter,
    DecisionBody,
    FeeBand,
    FeeBasis,
    FeeSchedule,
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    Membership,
    MembershipStatus,
)
from grappe.members.models.organisations import (
    COMPANY_KINDS,
    RESEARCH_KINDS,
    VISIBILITY_RANK,
    College,
    FieldPolicy,
    LegalForm,
    Organisation,
    OrganisationFigures,
    OrgKind,
    SizeClass,
    Visibility,
)
from grappe.members.models.people import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    Consent,
    ConsentChannel,
    ConsentSource,
    Person,
)
from grappe.members.models.taxonomy import Competence, Facet, TaxonomyVersion

__all__ = [
    "COMPANY_KINDS", "RESEARCH_KINDS", "VISIBILITY_RANK", "Affiliation", "AffiliationRole",
    "AffiliationStatus", "ClusterProfile", "College", "Competence", "Consent", "ConsentChannel",
    "ConsentSource", "CreditNote", "CreditNoteCounter", "DecisionBody", "Facet", "FeeBand", "FeeBasis", "FeeSchedule", "FieldPolicy",
    "Invoice", "InvoiceCounter", "InvoiceStatus", "LegalForm", "Membership", "MembershipStatus",
    "OrgKind", "Organisation", "OrganisationFigures", "Person", "SizeClass", "TaxonomyVersion",
    "Visibility",
]  # fmt: skip
