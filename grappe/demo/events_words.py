"""The words of the demo cluster's events: themes, venues, fairs and missions (all invented
or generic; no real company is named). French first, English second."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    key: str
    title_fr: str
    title_en: str
    summary_fr: str
    summary_en: str
    markets: tuple[str, ...]  # taxonomy codes of the market facet (prefix match)
    technologies: tuple[str, ...]  # taxonomy codes of the technology facet (prefix match)


THEMES: list[Theme] = [
    Theme(
        "ultrafast",
        "Lasers ultrabrefs pour l'industrie",
        "Ultrafast lasers for industry",
        "Micro-usinage, marquage et découpe : ce que les sources femtosecondes changent en production.",
        "Micromachining, marking and cutting: what femtosecond sources change on the shop floor.",
        ("market.industry",),
        ("tech.lasers",),
    ),
    Theme(
        "space-optics",
        "Optique pour le spatial",
        "Optics for space",
        "Instruments, revêtements et qualification : retours d'expérience des missions récentes.",
        "Instruments, coatings and qualification: lessons from recent missions.",
        ("market.space",),
        ("tech.components", "tech.systems"),
    ),
    Theme(
        "lidar",
        "Lidar et perception",
        "Lidar and perception",
        "Capteurs lidar pour la mobilité, la cartographie et la surveillance d'ouvrages.",
        "Lidar sensors for mobility, mapping and the monitoring of structures.",
        ("market.smart_city", "market.aeronautics"),
        ("tech.sensors", "tech.lasers"),
    ),
    Theme(
        "biophotonics",
        "Biophotonique et santé",
        "Biophotonics and health",
        "Imagerie médicale, diagnostic optique et dispositifs pour le bloc opératoire.",
        "Medical imaging, optical diagnosis and devices for the operating theatre.",
        ("market.health",),
        ("tech.biophotonics", "tech.imaging"),
    ),
    Theme(
        "freespace",
        "Communications optiques en espace libre",
        "Free-space optical communications",
        "Liaisons laser sol-satellite, terminaux compacts et atténuation atmosphérique.",
        "Ground-to-satellite laser links, compact terminals and atmospheric attenuation.",
        ("market.space", "market.defence"),
        ("tech.fibre", "tech.systems"),
    ),
    Theme(
        "pic",
        "Circuits photoniques intégrés",
        "Photonic integrated circuits",
        "Du design à l'encapsulation : la filière des PIC et ses fonderies.",
        "From design to packaging: the PIC supply chain and its foundries.",
        ("market.digital", "market.industry"),
        ("tech.pic",),
    ),
    Theme(
        "infrared",
        "Imagerie infrarouge",
        "Infrared imaging",
        "Détecteurs, optiques et traitements pour la thermographie et la défense.",
        "Detectors, optics and processing for thermography and defence.",
        ("market.defence", "market.aeronautics"),
        ("tech.infrared", "tech.imaging"),
    ),
    Theme(
        "agri",
        "Photonique pour l'agriculture",
        "Photonics for agriculture",
        "Capteurs hyperspectraux, éclairage horticole et suivi des cultures.",
        "Hyperspectral sensors, horticultural lighting and crop monitoring.",
        ("market.agrifood",),
        ("tech.sensors", "tech.imaging"),
    ),
    Theme(
        "green",
        "Photonique verte et énergie",
        "Green photonics and energy",
        "Solaire à concentration, éclairage efficace et mesure environnementale.",
        "Concentrated solar, efficient lighting and environmental measurement.",
        ("market.green",),
        ("tech.components", "tech.sensors"),
    ),
    Theme(
        "quantum",
        "Technologies quantiques",
        "Quantum technologies",
        "Sources de photons uniques, capteurs quantiques et cryptographie.",
        "Single-photon sources, quantum sensors and cryptography.",
        ("market.digital", "market.defence"),
        ("tech.quantum",),
    ),
    Theme(
        "coatings",
        "Couches minces et traitements optiques",
        "Thin films and optical coatings",
        "Dépôts, tenue au flux laser et métrologie des surfaces.",
        "Deposition, laser-damage resistance and surface metrology.",
        ("market.industry", "market.space"),
        ("tech.components",),
    ),
    Theme(
        "vision",
        "Vision industrielle et contrôle qualité",
        "Machine vision and quality control",
        "Caméras, éclairage structuré et intelligence artificielle en ligne de production.",
        "Cameras, structured light and AI on the production line.",
        ("market.industry",),
        ("tech.imaging",),
    ),
]

# Workshops and trainings: shorter formats, members first.
FORMATS: dict[str, tuple[str, str]] = {
    "conference": ("Conférence", "Conference"),
    "workshop": ("Atelier", "Workshop"),
    "webinar": ("Webinaire", "Webinar"),
    "training": ("Formation", "Training"),
}

TRAININGS: list[tuple[str, str]] = [
    ("Sécurité laser : les bases", "Laser safety: the basics"),
    (
        "Propriété intellectuelle pour les PME innovantes",
        "Intellectual property for innovative SMEs",
    ),
    ("Monter un projet collaboratif de R&D", "Building a collaborative R&D project"),
    ("Exporter hors d'Europe : les premiers pas", "Exporting outside Europe: first steps"),
    ("Répondre à un appel Horizon Europe", "Answering a Horizon Europe call"),
    ("Métrologie optique appliquée", "Applied optical metrology"),
]


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    postcode: str
    city: str
    country: str = "FR"


VENUES: list[Venue] = [
    Venue("Hôtel technologique", "45 rue Frédéric Joliot-Curie", "13013", "Marseille"),
    Venue("Centre de congrès du Pharo", "58 boulevard Charles Livon", "13007", "Marseille"),
    Venue("Maison de l'entreprise", "2 avenue des Chênes", "06560", "Sophia Antipolis"),
    Venue("Campus des sciences", "163 avenue de Luminy", "13009", "Marseille"),
    Venue("Pépinière d'entreprises", "12 rue de la Découverte", "31670", "Labège"),
    Venue("Espace innovation", "30 place de la Comédie", "34000", "Montpellier"),
    Venue("Technopôle de l'Arbois", "Avenue Louis Philibert", "13290", "Aix-en-Provence"),
]


@dataclass(frozen=True)
class Fair:
    key: str
    title_fr: str
    title_en: str
    city: str
    country: str
    month: int
    days: int
    hall: str


FAIRS: list[Fair] = [
    Fair(
        "photonics-munich",
        "Salon international de la photonique – Munich",
        "International photonics fair – Munich",
        "München",
        "DE",
        6,
        4,
        "Hall A3",
    ),
    Fair(
        "optics-defence-paris",
        "Salon Optique & Défense – Paris",
        "Optics & Defence fair – Paris",
        "Paris",
        "FR",
        10,
        3,
        "Hall 5",
    ),
]


@dataclass(frozen=True)
class MissionPlace:
    key: str
    country: str
    city: str
    time_zone: str
    title_fr: str
    title_en: str
    visits: tuple[tuple[str, str], ...]  # (French, English)


MISSIONS: list[MissionPlace] = [
    MissionPlace(
        "quebec",
        "CA",
        "Québec",
        "America/Toronto",
        "Mission d'affaires photonique au Québec",
        "Photonics business mission to Québec",
        (
            ("Visite du pôle d'optique de Québec", "Visit of the Québec optics cluster"),
            ("Rendez-vous d'affaires B2B", "B2B business meetings"),
            (
                "Visite d'un institut de recherche en optique",
                "Visit of an optics research institute",
            ),
        ),
    ),
    MissionPlace(
        "japan",
        "JP",
        "Yokohama",
        "Asia/Tokyo",
        "Mission d'affaires au Japon",
        "Business mission to Japan",
        (
            ("Salon de l'optique de Yokohama", "Yokohama optics fair"),
            ("Rencontres avec des intégrateurs japonais", "Meetings with Japanese integrators"),
            ("Réception à la chambre de commerce", "Reception at the chamber of commerce"),
        ),
    ),
    # Singapore was the third destination, but the country list of the platform
    # (grappe/members/regions.py) has no SG: Boston instead.
    MissionPlace(
        "boston",
        "US",
        "Boston",
        "America/New_York",
        "Mission photonique à Boston",
        "Photonics mission to Boston",
        (
            ("Visite d'un centre de R&D en photonique", "Visit of a photonics R&D centre"),
            ("Rendez-vous d'affaires B2B", "B2B business meetings"),
            (
                "Rencontre avec un accélérateur de start-up du biomédical",
                "Meeting with a biomedical start-up accelerator",
            ),
        ),
    ),
]

QUESTIONS: list[tuple[str, str, str, str, str]] = [
    # kind, French, English, choices French, choices English
    (
        "choice",
        "Régime alimentaire",
        "Diet",
        "Sans restriction\nVégétarien\nSans gluten",
        "No restriction\nVegetarian\nGluten-free",
    ),
    ("yes_no", "Participerez-vous au cocktail ?", "Will you attend the reception?", "", ""),
]

PRICING_NOTE = (
    "Tarifs calculés pour couvrir les coûts d'organisation (salle, restauration, intervenants). "
    "Le tarif adhérent tient compte de la cotisation annuelle, qui finance une part de ces coûts.",
    "Prices are set to cover the organising costs (venue, catering, speakers). The member price "
    "reflects the yearly dues, which fund part of these costs.",
)


# --- Added for the demo loader (grappe/demo/events.py) -----------------------------------

TRAINING_SUMMARIES: list[tuple[str, str]] = [
    (
        "Classes de lasers, risques pour l'œil et la peau, protections et obligations de "
        "l'employeur.",
        "Laser classes, eye and skin hazards, protection and the employer's obligations.",
    ),
    (
        "Brevets, secret et logiciels : protéger ses inventions et négocier avec ses partenaires.",
        "Patents, trade secrets and software: protecting inventions and negotiating with partners.",
    ),
    (
        "Du consortium au budget : les étapes d'un projet collaboratif et de sa labellisation.",
        "From consortium to budget: the steps of a collaborative project and of its label.",
    ),
    (
        "Choisir ses marchés, trouver des distributeurs, s'appuyer sur les aides à l'export.",
        "Choosing markets, finding distributors, using export support schemes.",
    ),
    (
        "Lire un appel, bâtir le consortium, rédiger l'impact et le plan de travail.",
        "Reading a call, building the consortium, writing the impact and the work plan.",
    ),
    (
        "Interférométrie, mesure de front d'onde et incertitudes : la pratique en atelier.",
        "Interferometry, wavefront measurement and uncertainty: practice on the bench.",
    ),
]

# Event texts by kind, under the summary: {theme} (the theme's title, lower-cased) is filled in.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "conference": (
        "Cette journée réunit industriels, laboratoires et donneurs d'ordre autour "
        "du thème « {theme} ». Au programme : exposés techniques, retours d'expérience de "
        "membres du pôle, table ronde sur les marchés, puis rendez-vous d'affaires l'après-midi.",
        "This one-day conference brings companies, laboratories and prime "
        "contractors together around “{theme}”. On the programme: technical talks, case studies "
        "from cluster members, a round table on markets, then business meetings in the afternoon.",
    ),
    "workshop": (
        "Un atelier en petit groupe, animé par l'équipe du pôle et un membre expert, "
        "pour partager des cas concrets sur le thème « {theme} ». Chacun repart avec des contacts "
        "et des pistes de projets.",
        "A small-group workshop, led by the cluster's team and an expert member, to "
        "share real cases on “{theme}”. Everyone leaves with new contacts and project ideas.",
    ),
    "webinar": (
        "Un webinaire d'une heure : quarante minutes de présentation, vingt minutes "
        "de questions. Le lien de connexion est envoyé aux inscrits la veille.",
        "A one-hour webinar: forty minutes of presentation, twenty minutes of "
        "questions. The link is sent to registrants the day before.",
    ),
    "training": (
        "Une journée de formation pratique en petit groupe, avec un formateur "
        "expérimenté, des exercices et un support remis à chaque participant. Formation "
        "éligible à une prise en charge par votre opérateur de compétences.",
        "A day of hands-on training in a small group, with an experienced trainer, "
        "exercises and course notes for each participant. The training may be funded by your "
        "skills operator.",
    ),
}
MEMBERS_ONLY = (
    "Réservé aux adhérents du pôle.",
    "For the cluster's members only.",
)
WEBINAR_SUMMARY = (
    "{topic} : état de l'art, applications et acteurs de la région, en une heure.",
    "{topic}: state of the art, applications and the region's players, in one hour.",
)
ASSEMBLY = (
    "Assemblée générale du pôle",
    "Cluster general assembly",
    "Bilan de l'année, comptes, budget et élection au conseil d'administration.",
    "The year in review, accounts, budget and the election of the board.",
    "L'assemblée générale ordinaire réunit les adhérents : rapport moral et d'activité, "
    "rapport financier, vote du budget et des cotisations, élection des administrateurs. "
    "Chaque organisation adhérente dispose d'une voix. La séance est suivie d'un cocktail.",
    "The ordinary general assembly brings the members together: activity report, financial "
    "report, vote on the budget and the dues, election of the board. Each member organisation "
    "has one vote. The meeting is followed by a reception.",
)
FAIR_TEXT = (
    "Le pôle réunit ses membres sur un pavillon collectif : stands équipés, espace de "
    "rendez-vous commun et communication partagée. La Région cofinance une part du coût des "
    "stands.",
    "The cluster brings its members together on a shared pavilion: fitted booths, a common "
    "meeting area and joint promotion. The Region co-funds part of the booths' cost.",
)
PAVILION_TERMS = (
    "Stands équipés (cloisons, enseigne, mobilier, électricité). Le pôle prend en charge une "
    "part du coût de chaque stand ; le solde est facturé à l'exposant après le salon. Un "
    "désistement moins de 60 jours avant le salon reste dû.",
    "Fitted booths (walls, sign, furniture, power). The cluster pays a share of each booth's "
    "cost; the rest is invoiced to the exhibitor after the fair. A withdrawal less than "
    "60 days before the fair remains payable.",
)
MISSION_CALL = (
    "{summary} Le pôle constitue une délégation de {places} entreprises et laboratoires. "
    "Programme : visites de sites, rendez-vous d'affaires préparés à l'avance et réception "
    "avec les acteurs locaux. Le coût par participant (vol, hôtel, rendez-vous) est "
    "cofinancé à {share} % par la Région.",
    "{summary} The cluster is forming a delegation of {places} companies and laboratories. "
    "Programme: site visits, business meetings arranged in advance and a reception with "
    "local players. The cost per participant (flight, hotel, meetings) is {share} % co-funded "
    "by the Region.",
)
MISSION_SUMMARIES: dict[str, tuple[str, str]] = {
    "quebec": (
        "Une semaine pour rencontrer l'écosystème optique-photonique québécois.",
        "A week to meet the Québec optics and photonics ecosystem.",
    ),
    "japan": (
        "Intégrateurs, salon et chambre de commerce : une porte d'entrée sur le marché japonais.",
        "Integrators, a fair and the chamber of commerce: a way into the Japanese market.",
    ),
    "boston": (
        "Photonique et santé : laboratoires, hôpitaux et investisseurs de la côte est américaine.",
        "Photonics and health: laboratories, hospitals and investors of the US East Coast.",
    ),
}
MISSION_CRITERIA = (
    "Adéquation de l'offre au marché visé, capacité à exporter, préparation des rendez-vous. "
    "Une place par organisation.",
    "Fit of the offer with the target market, ability to export, preparation of the meetings. "
    "One place per organisation.",
)
COFUNDER = "Région Sud"
MISSION_MOTIVATIONS: list[str] = [
    "Nous cherchons un distributeur local et des premiers clients pilotes.",
    "Nous voulons rencontrer des intégrateurs pour un projet de co-développement.",
    "Nous préparons l'ouverture d'un bureau commercial dans la région.",
    "Nous souhaitons nouer des partenariats de recherche avec des instituts locaux.",
    "Notre principal client y installe une usine : nous voulons l'accompagner.",
]
MISSION_REASONS: dict[str, list[str]] = {
    "selected": [
        "Offre bien adaptée au marché visé ; rendez-vous déjà identifiés.",
        "Projet export solide et complémentaire des autres membres de la délégation.",
    ],
    "reserve": [
        "Dossier de qualité, mais les places sont prises : vous êtes sur la liste d'attente.",
    ],
    "refused": [
        "Offre encore éloignée du marché visé : nous vous proposons la prochaine mission.",
        "Une autre entité de votre groupe fait déjà partie de la délégation.",
        "Dossier incomplet à la date limite.",
    ],
}
EXHIBITOR_REFUSALS: list[str] = [
    "Le pavillon est complet : votre candidature est arrivée après l'attribution des stands.",
    "Produits sans lien avec le salon ; nous vous proposons le salon suivant.",
    "Dossier incomplet à la date limite des candidatures.",
]
EXHIBITOR_MESSAGES: list[str] = [
    "Un stand d'angle nous conviendrait mieux si possible.",
    "Nous présenterons un démonstrateur : prévoir une prise électrique renforcée.",
    "Première participation : merci pour votre accompagnement.",
    "",
    "",
]
REGISTRATION_CANCEL_REASONS: list[str] = [
    "Empêchement professionnel.",
    "Déplacement imprévu chez un client.",
    "Raison de santé.",
    "Un collègue y assistera à ma place.",
    "",
]
EVENT_CANCEL_REASON = (
    "Faute d'un nombre suffisant d'inscrits, l'atelier est annulé. Il sera reprogrammé "
    "dans les prochains mois ; nous vous prions de nous excuser.\n\nToo few people registered: "
    "the workshop is cancelled and will be rescheduled in the coming months. We apologise."
)

TICKET_NAMES: dict[str, tuple[str, str]] = {
    "member": ("Adhérent", "Member"),
    "non_member": ("Non-adhérent", "Non-member"),
    "academic": ("Académique et recherche publique", "Academic and public research"),
    "student": ("Étudiant", "Student"),
    "guest": ("Intervenant ou invité", "Speaker or guest"),
    "free": ("Inscription gratuite", "Free registration"),
}
EARLY_BIRD = ("Inscription anticipée", "Early bird")
STANDARD_RATE = ("Tarif normal", "Standard rate")

# A conference's day: (kind, start, end, French, English); {topic}, {market}, {org}.
CONFERENCE_DAY: list[tuple[str, str, str, str, str]] = [
    ("break", "08:45", "09:15", "Accueil des participants", "Welcome coffee"),
    ("session", "09:15", "09:30", "Ouverture par le pôle", "Opening by the cluster"),
    ("talk", "09:30", "10:15", "{topic} : état de l'art et perspectives",
     "{topic}: state of the art and outlook"),
    ("talk", "10:15", "11:00", "Retour d'expérience {de_org}", "Lessons learned at {org}"),
    ("break", "11:00", "11:20", "Pause et démonstrations", "Break and demonstrations"),
    ("talk", "11:20", "12:00", "Du laboratoire à l'industrie : {topic2}",
     "From the lab to the factory: {topic2}"),
    ("session", "12:00", "12:45", "Table ronde : {market}, les besoins des donneurs d'ordre",
     "Round table: {market}, what prime contractors need"),
    ("break", "12:45", "14:00", "Déjeuner", "Lunch"),
    ("talk", "14:00", "14:45", "Financer l'innovation : appels à projets et labellisation",
     "Funding innovation: calls for projects and the cluster's label"),
    ("meeting", "14:45", "17:00", "Rendez-vous d'affaires", "Business meetings"),
]  # fmt: skip
# A trade mission, day by day (day number from 0, kind, hour, French, English); the three
# visits of the destination fill {visit0}..{visit2}.
MISSION_DAYS: list[tuple[int, str, str, str, str]] = [
    (0, "travel", "16:00", "Arrivée de la délégation à {city}", "The delegation arrives in {city}"),
    (0, "meeting", "19:00", "Réunion de préparation des rendez-vous",
     "Briefing before the meetings"),
    (1, "visit", "09:30", "{visit0}", "{visit0}"),
    (1, "meeting", "14:00", "{visit1}", "{visit1}"),
    (2, "visit", "10:00", "{visit2}", "{visit2}"),
    (2, "reception", "18:30", "Réception de la délégation française",
     "Reception for the French delegation"),
    (3, "meeting", "09:00", "Rendez-vous d'affaires individuels", "One-to-one business meetings"),
    (4, "travel", "10:00", "Retour en France", "Return to France"),
]  # fmt: skip
ONLINE_URL = "https://visio.pole-lumiere-sud.example/{slug}"
FAIR_SUMMARY = (
    "Le pavillon collectif du pôle : des stands équipés, cofinancés par la Région.",
    "The cluster's shared pavilion: fitted booths, co-funded by the Region.",
)
PAVILION_NAME = ("Pavillon {cluster}", "{cluster} pavilion")
EXHIBITOR_PRODUCTS = "Nous présenterons : {items}."
MISSION_TARGETS = "Intégrateurs et donneurs d'ordre des marchés suivants : {items}."
SECOND_SESSION = (" – deuxième session", " – second session")
MISSION_TEXT = (
    "Visites de sites, rendez-vous d'affaires préparés à l'avance et réception avec les "
    "acteurs locaux. Le pôle sélectionne la délégation sur candidature : voir l'appel à "
    "participation.",
    "Site visits, business meetings arranged in advance and a reception with local players. "
    "The cluster selects the delegation by application: see the call for participants.",
)
FAIR_VENUE = "Parc des expositions"
FAIR_PRICING_NOTE = (
    "Le prix des stands est celui de l'organisateur du salon, sans marge. Le pôle en prend une "
    "part à sa charge, cofinancée par la Région, aux mêmes conditions pour tous les exposants.",
    "Booth prices are the fair organiser's, with no margin. The cluster pays a share of them, "
    "co-funded by the Region, on the same terms for every exhibitor.",
)
MISSION_PRICING_NOTE = (
    "Coût complet par participant (vol, hôtel, rendez-vous), sans marge, cofinancé par la "
    "Région ; la part restante est facturée à chaque participant sélectionné.",
    "Full cost per participant (flight, hotel, meetings), with no margin, co-funded by the "
    "Region; the remaining part is invoiced to each selected participant.",
)
