"""The words of the demo cluster's R&D projects: topics and uses combined into titles and
public summaries (French and English), acronym syllables, review comments. All invented."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    fr: str  # "Imagerie hyperspectrale compacte" (completed by " pour " + a use)
    en: str
    summary_fr: str  # one sentence on the technical goal
    summary_en: str
    technologies: tuple[str, ...]  # taxonomy codes (technology facet, top branches)


@dataclass(frozen=True)
class Use:
    fr: str  # "l'inspection d'ouvrages"
    en: str
    market: str  # taxonomy code (market facet)


TOPICS: list[Topic] = [
    Topic(
        "hyperspectral",
        "Imagerie hyperspectrale compacte",
        "Compact hyperspectral imaging",
        "Le projet développe un imageur hyperspectral léger et bas coût, avec son traitement embarqué.",
        "The project develops a light, low-cost hyperspectral imager with on-board processing.",
        ("tech.imaging", "tech.sensors"),
    ),
    Topic(
        "fso",
        "Terminal de communication optique en espace libre",
        "Free-space optical communication terminal",
        "Il s'agit de concevoir un terminal laser compact à haut débit, robuste aux turbulences.",
        "The aim is a compact high-throughput laser terminal that withstands turbulence.",
        ("tech.fibre", "tech.systems"),
    ),
    Topic(
        "femto",
        "Micro-usinage par laser femtoseconde",
        "Femtosecond laser micromachining",
        "Le consortium industrialise un procédé d'usinage sans effet thermique, piloté en temps réel.",
        "The consortium industrialises a heat-free machining process with real-time control.",
        ("tech.lasers",),
    ),
    Topic(
        "lidar",
        "Lidar à balayage solide",
        "Solid-state scanning lidar",
        "Un lidar sans pièce mobile, fondé sur un circuit photonique intégré, est conçu et qualifié.",
        "A lidar with no moving parts, based on a photonic integrated circuit, is designed and qualified.",
        ("tech.pic", "tech.sensors"),
    ),
    Topic(
        "ir-detector",
        "Détecteur infrarouge non refroidi",
        "Uncooled infrared detector",
        "Le projet améliore la sensibilité de microbolomètres et leur intégration en caméra.",
        "The project improves the sensitivity of microbolometers and their integration in cameras.",
        ("tech.infrared",),
    ),
    Topic(
        "oct",
        "Tomographie par cohérence optique rapide",
        "Fast optical coherence tomography",
        "Une source balayée et une chaîne d'acquisition nouvelles accélèrent l'imagerie 3D des tissus.",
        "A new swept source and acquisition chain speed up 3D tissue imaging.",
        ("tech.biophotonics", "tech.imaging"),
    ),
    Topic(
        "coatings",
        "Revêtements optiques à haute tenue au flux",
        "High laser-damage-threshold coatings",
        "Les partenaires mettent au point des empilements de couches minces pour lasers de puissance.",
        "The partners develop thin-film stacks for high-power lasers.",
        ("tech.components",),
    ),
    Topic(
        "quantum-sensor",
        "Capteur quantique à atomes froids",
        "Cold-atom quantum sensor",
        "Un prototype transportable de capteur inertiel quantique est conçu et testé sur le terrain.",
        "A transportable quantum inertial sensor prototype is designed and field-tested.",
        ("tech.quantum", "tech.lasers"),
    ),
    Topic(
        "fibre-sensing",
        "Surveillance répartie par fibre optique",
        "Distributed fibre-optic monitoring",
        "Une interrogation par fibre optique mesure température et déformation sur des kilomètres.",
        "Fibre-optic interrogation measures temperature and strain over kilometres.",
        ("tech.fibre", "tech.sensors"),
    ),
    Topic(
        "uv-led",
        "Désinfection par LED ultraviolettes",
        "Ultraviolet LED disinfection",
        "Le projet conçoit des modules LED UV-C efficaces et sûrs, sans mercure.",
        "The project designs efficient, safe, mercury-free UV-C LED modules.",
        ("tech.components",),
    ),
    Topic(
        "adaptive",
        "Optique adaptative compacte",
        "Compact adaptive optics",
        "Un miroir déformable et son contrôle corrigent en temps réel les aberrations atmosphériques.",
        "A deformable mirror and its control correct atmospheric aberrations in real time.",
        ("tech.systems", "tech.components"),
    ),
    Topic(
        "vision-ai",
        "Vision industrielle augmentée par l'IA",
        "AI-enhanced machine vision",
        "Éclairage structuré et apprentissage profond détectent les défauts en ligne de production.",
        "Structured lighting and deep learning detect defects on the production line.",
        ("tech.imaging", "tech.systems"),
    ),
]

USES: list[Use] = [
    Use("l'observation de la Terre", "Earth observation", "market.space"),
    Use("les nanosatellites", "nanosatellites", "market.space"),
    Use("l'aéronautique", "aeronautics", "market.aeronautics"),
    Use("la défense", "defence", "market.defence"),
    Use("le diagnostic médical", "medical diagnosis", "market.health"),
    Use("la chirurgie", "surgery", "market.health"),
    Use("l'agriculture de précision", "precision agriculture", "market.agrifood"),
    Use("l'industrie agroalimentaire", "the food industry", "market.agrifood"),
    Use("la transition énergétique", "the energy transition", "market.green"),
    Use("la ville intelligente", "the smart city", "market.smart_city"),
    Use("l'industrie du futur", "the factory of the future", "market.industry"),
    Use("les réseaux numériques", "digital networks", "market.digital"),
]

SYLLABLES: list[str] = [
    "AL",
    "BE",
    "CA",
    "DI",
    "EL",
    "FO",
    "GA",
    "HE",
    "IO",
    "LU",
    "MI",
    "NO",
    "OP",
    "PHO",
    "QUA",
    "RA",
    "SI",
    "TE",
    "UL",
    "VI",
    "XE",
    "ZE",
    "TON",
    "LAS",
    "SPEC",
    "LUX",
    "OR",
]

COMMENTS: dict[str, list[tuple[str, str]]] = {
    # (French, English) comments by score band
    "high": [
        (
            "Objectifs clairs et ambitieux, verrous bien identifiés.",
            "Clear and ambitious goals; the hard problems are well identified.",
        ),
        (
            "Consortium complémentaire, rôles bien répartis.",
            "A complementary consortium with well-shared roles.",
        ),
        (
            "Marché solide et stratégie d'accès crédible.",
            "A solid market and a credible route to it.",
        ),
    ],
    "mid": [
        (
            "Projet intéressant ; le plan de travail mérite d'être détaillé.",
            "An interesting project; the work plan needs more detail.",
        ),
        (
            "Le budget paraît élevé au regard des livrables.",
            "The budget looks high for the deliverables.",
        ),
        ("L'analyse de marché reste qualitative.", "The market analysis remains qualitative."),
    ],
    "low": [
        (
            "L'innovation par rapport à l'état de l'art n'est pas démontrée.",
            "The advance over the state of the art is not shown.",
        ),
        ("Le consortium manque d'un utilisateur final.", "The consortium lacks an end user."),
    ],
}

TEXT_TO_APPLICANT: dict[str, tuple[str, str]] = {
    "labelled": (
        "Le comité salue un projet solide et aligné sur la feuille de route du pôle.",
        "The committee commends a solid project in line with the cluster's roadmap.",
    ),
    "labelled_reservations": (
        "Label accordé sous réserve de préciser l'accord de consortium et le plan d'exploitation.",
        "Labelled provided the consortium agreement and the exploitation plan are made precise.",
    ),
    "support_letter": (
        "Le pôle soutient la candidature européenne du consortium.",
        "The cluster supports the consortium's European proposal.",
    ),
    "deferred": (
        "Le comité propose de représenter le projet à la prochaine session, consortium complété.",
        "The committee suggests resubmitting at the next session with a completed consortium.",
    ),
    "rejected": (
        "Le projet ne démontre pas assez son caractère innovant ni ses retombées.",
        "The project does not show enough innovation or impact.",
    ),
}


# --- added for the loader (grappe/demo/projects.py) -----------------------------------------

# Finer technology codes of each topic (the taxonomy's second level), used with the branches
# above: a project is tagged with its branch and one or two of these.
FINE: dict[str, tuple[str, ...]] = {
    "hyperspectral": ("tech.imaging.hyperspectral", "tech.imaging.processing"),
    "fso": ("tech.fibre.free_space", "tech.systems.adaptive"),
    "femto": ("tech.lasers.ultrafast", "tech.systems.laser_processing"),
    "lidar": ("tech.sensors.lidar", "tech.pic.silicon"),
    "ir-detector": ("tech.infrared.uncooled", "tech.infrared.ir_optics"),
    "oct": ("tech.biophotonics.oct", "tech.imaging.processing"),
    "coatings": ("tech.components.coatings", "tech.components.precision"),
    "quantum-sensor": ("tech.quantum.sensing", "tech.lasers.diodes"),
    "fibre-sensing": ("tech.sensors.fibre_sensors", "tech.fibre.specialty"),
    "uv-led": ("tech.displays.led", "tech.components.materials"),
    "adaptive": ("tech.systems.adaptive", "tech.systems.space"),
    "vision-ai": ("tech.imaging.machine_vision", "tech.imaging.processing"),
}


@dataclass(frozen=True)
class GridLine:
    code: str
    fr: str
    en: str
    guidance_fr: str
    guidance_en: str
    weight: str
    eliminatory_below: int | None


# The evaluation grid of the first session (later ones copy the previous one).
GRID: list[GridLine] = [
    GridLine(
        "roadmap", "Adéquation à la feuille de route du pôle", "Fit with the cluster's roadmap",
        "Le projet sert-il les marchés et technologies prioritaires du pôle ?",
        "Does the project serve the cluster's priority markets and technologies?",
        "1", None,
    ),
    GridLine(
        "innovation", "Innovation et qualité technique", "Innovation and technical quality",
        "Avancée par rapport à l'état de l'art, verrous identifiés, crédibilité de l'approche.",
        "Advance over the state of the art, hard problems identified, a credible approach.",
        "2", 2,
    ),
    GridLine(
        "consortium", "Qualité et complémentarité du consortium",
        "Consortium quality and complementarity",
        "Compétences réunies, rôle de chacun, présence d'un utilisateur final.",
        "Skills brought together, each partner's role, an end user on board.",
        "1", None,
    ),
    GridLine(
        "market", "Marché et retombées économiques", "Market and economic impact",
        "Emplois, chiffre d'affaires, export, délai de mise sur le marché (3 à 5 ans).",
        "Jobs, turnover, export, time to market (3 to 5 years).",
        "2", 2,
    ),
    GridLine(
        "feasibility", "Faisabilité et management", "Feasibility and management",
        "Plan de travail, budget, gestion des risques, accord de consortium.",
        "Work plan, budget, risk management, consortium agreement.",
        "1", None,
    ),
    GridLine(
        "territory", "Retombées pour le territoire", "Territorial benefits",
        "Activité, emplois et partenariats dans la région.",
        "Activity, jobs and partnerships in the region.",
        "1", None,
    ),
    GridLine(
        "environment", "Dimension environnementale", "Environmental dimension",
        "Sobriété, décarbonation, cycle de vie des produits.",
        "Resource efficiency, decarbonisation, product life cycle.",
        "1", None,
    ),
]  # fmt: skip
# From this many sessions on, the environmental criterion weighs more (the grid evolves).
ENVIRONMENT_WEIGHT_FROM = (4, "1.5")

# "{of_month}": "de février", "d'avril", "d'août"...
SESSION_NAME = (
    "Session de labellisation {of_month} {year}",
    "{month_en} {year} labelling session",
)
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
SESSION_DESCRIPTION = (
    "Le pôle labellise les projets collaboratifs de R&D de ses membres avant leur dépôt auprès "
    "des financeurs (PSPC-Régions, i-Démo, ANR, Bpifrance, Région, Horizon Europe). Chaque "
    "dossier est instruit par deux experts, puis présenté au comité de labellisation.",
    "The cluster labels its members' collaborative R&D projects before they go to the funders "
    "(PSPC-Régions, i-Démo, ANR, Bpifrance, the Region, Horizon Europe). Two experts review "
    "each file, then the labelling committee decides.",
)

# The funder's call a file targets, by scheme ({year}: the year of the committee).
FUNDING_CALLS: dict[str, str] = {
    "pspc": "PSPC-Régions — appel à projets {year}",
    "idemo": "i-Démo — relève {year}",
    "anr": "ANR — appel à projets générique {year}",
    "bpi": "Bpifrance — aide au développement deeptech {year}",
    "region": "Région Sud — Projets d'innovation collaboratifs {year}",
    "horizon": "Horizon Europe — Cluster 4, appel {year}",
}
# The funder's reference of an application, by scheme ({n}: a number, {yy}: the year).
FUNDER_REFERENCES: dict[str, str] = {
    "pspc": "DOS0{n:06d}",
    "idemo": "DOS0{n:06d}",
    "anr": "ANR-{yy}-CE42-{n:04d}",
    "bpi": "DOS0{n:06d}",
    "region": "PIC-{year}-{n:04d}",
    "horizon": "101{n:06d}",
}

# The confidential description: the topic's goal, then two of these (French, English).
WORK_PLAN: list[tuple[str, str]] = [
    (
        "Le plan de travail compte cinq lots, de la spécification au démonstrateur qualifié.",
        "The work plan has five work packages, from specification to a qualified demonstrator.",
    ),
    (
        "Un premier prototype de laboratoire est attendu à 18 mois, le démonstrateur à la fin.",
        "A first laboratory prototype is due at month 18, the demonstrator at the end.",
    ),
    (
        "Le laboratoire partenaire apporte la modélisation et les essais de caractérisation.",
        "The partner lab brings modelling and characterisation tests.",
    ),
    (
        "L'utilisateur final définit le cahier des charges et conduit les essais en conditions "
        "réelles.",
        "The end user writes the specification and runs the field trials.",
    ),
    (
        "La propriété intellectuelle est régie par un accord de consortium signé avant le "
        "démarrage.",
        "Intellectual property is governed by a consortium agreement signed before the start.",
    ),
    (
        "Les principaux risques portent sur l'intégration et la tenue en environnement ; des "
        "solutions de repli sont prévues.",
        "The main risks are integration and environmental robustness; fallback options are "
        "planned.",
    ),
]
ENVIRONMENT: list[tuple[str, str]] = [
    (
        "Consommation électrique réduite de moitié par rapport aux solutions actuelles.",
        "Half the power consumption of current solutions.",
    ),
    (
        "Composants sans terres rares ni substances réglementées ; filière de recyclage prévue.",
        "Components free of rare earths and regulated substances; recycling planned.",
    ),
    (
        "Moins de rebuts en production grâce au contrôle en ligne.",
        "Less production scrap thanks to in-line inspection.",
    ),
    (
        "Fabrication relocalisée en région : transport et empreinte carbone réduits.",
        "Manufacturing brought back to the region: less transport, a smaller carbon footprint.",
    ),
]

# Comments of the experts per criterion and score band (French, English).
CRITERION_COMMENTS: dict[str, dict[str, tuple[str, str]]] = {
    "roadmap": {
        "high": ("Au cœur des priorités du pôle.", "At the heart of the cluster's priorities."),
        "mid": ("En lien avec la feuille de route, sans en être une priorité.",
                "Linked to the roadmap, without being a priority."),
        "low": ("Lien ténu avec les marchés du pôle.", "A weak link with the cluster's markets."),
    },
    "innovation": {
        "high": ("Rupture technologique crédible, bien positionnée face à l'état de l'art.",
                 "A credible breakthrough, well placed against the state of the art."),
        "mid": ("Innovation incrémentale ; l'état de l'art mériterait d'être approfondi.",
                "Incremental innovation; the state of the art deserves a closer look."),
        "low": ("L'apport par rapport aux produits existants n'est pas établi.",
                "The gain over existing products is not established."),
    },
    "consortium": {
        "high": ("Partenaires complémentaires, utilisateur final impliqué.",
                 "Complementary partners, an involved end user."),
        "mid": ("Consortium cohérent ; le rôle du laboratoire reste à préciser.",
                "A coherent consortium; the lab's role needs to be made precise."),
        "low": ("Il manque un intégrateur ou un utilisateur final.",
                "An integrator or an end user is missing."),
    },
    "market": {
        "high": ("Marché identifié et chiffré, perspectives d'export solides.",
                 "An identified, quantified market with solid export prospects."),
        "mid": ("Le plan d'affaires reste qualitatif.", "The business plan remains qualitative."),
        "low": ("Les débouchés ne sont ni identifiés ni chiffrés.",
                "The outlets are neither identified nor quantified."),
    },
    "feasibility": {
        "high": ("Plan de travail clair, jalons et risques bien maîtrisés.",
                 "A clear work plan, milestones and risks well in hand."),
        "mid": ("Calendrier ambitieux ; prévoir des solutions de repli.",
                "An ambitious schedule; plan fallback options."),
        "low": ("Budget et calendrier peu réalistes.", "An unrealistic budget and schedule."),
    },
    "territory": {
        "high": ("Créations d'emplois en région clairement annoncées.",
                 "Jobs in the region clearly announced."),
        "mid": ("Retombées régionales plausibles mais peu détaillées.",
                "Plausible but little detailed regional benefits."),
        "low": ("Peu d'activité prévue sur le territoire.", "Little activity planned in the region."),
    },
    "environment": {
        "high": ("Bénéfice environnemental réel et mesuré.", "A real, measured environmental gain."),
        "mid": ("Dimension environnementale évoquée, à quantifier.",
                "The environmental dimension is mentioned; quantify it."),
        "low": ("Dimension environnementale absente.", "No environmental dimension."),
    },
}  # fmt: skip
NOTES_TO_COMMITTEE: list[tuple[str, str]] = [
    (
        "Le coordinateur a déjà mené à bien un projet labellisé : équipe fiable.",
        "The coordinator already delivered a labelled project: a reliable team.",
    ),
    (
        "Vérifier la solidité financière du coordinateur avant le dépôt.",
        "Check the coordinator's financial strength before submission.",
    ),
    (
        "Projet proche d'un dossier déposé il y a deux ans par un autre consortium.",
        "Close to a file submitted two years ago by another consortium.",
    ),
]

# What the committee writes, by decision (French, English); one is drawn.
DECISION_TEXTS: dict[str, list[tuple[str, str]]] = {
    "labelled": [
        TEXT_TO_APPLICANT["labelled"],
        (
            "Le comité labellise ce projet ambitieux et encourage le consortium à associer les "
            "membres du pôle aux essais.",
            "The committee labels this ambitious project and encourages the consortium to "
            "involve the cluster's members in the trials.",
        ),
    ],
    "labelled_reservations": [TEXT_TO_APPLICANT["labelled_reservations"]],
    "support_letter": [TEXT_TO_APPLICANT["support_letter"]],
    "deferred": [
        TEXT_TO_APPLICANT["deferred"],
        (
            "Le comité attend un plan d'exploitation chiffré avant de se prononcer.",
            "The committee awaits a quantified exploitation plan before deciding.",
        ),
    ],
    "rejected": [
        TEXT_TO_APPLICANT["rejected"],
        (
            "Le projet relève davantage d'une prestation que d'une collaboration de R&D.",
            "The project is closer to a service contract than to collaborative R&D.",
        ),
    ],
}
RESERVATIONS: list[tuple[str, str]] = [
    (
        "Signer l'accord de consortium avant le dépôt et préciser le plan d'exploitation.",
        "Sign the consortium agreement before submission and make the exploitation plan precise.",
    ),
    (
        "Associer un utilisateur final aux essais de validation.",
        "Involve an end user in the validation trials.",
    ),
    (
        "Revoir la répartition du budget au profit des partenaires industriels.",
        "Rebalance the budget towards the industrial partners.",
    ),
]
INADMISSIBLE: list[tuple[str, str]] = [
    (
        "Le projet ne relève pas du domaine de l'optique-photonique : il sort du périmètre du "
        "pôle.",
        "The project is not about optics and photonics: it is outside the cluster's scope.",
    ),
    (
        "Les lettres d'engagement des partenaires manquent malgré nos relances.",
        "The partners' letters of commitment are missing despite our reminders.",
    ),
]
WITHDRAWALS: list[tuple[str, str]] = [
    (
        "Un partenaire industriel se retire : le consortium préfère reporter son projet.",
        "An industrial partner has left: the consortium prefers to postpone its project.",
    ),
    (
        "Le coordinateur a choisi un autre guichet de financement.",
        "The coordinator chose another funding route.",
    ),
]
FUNDER_WITHDRAWALS: list[tuple[str, str]] = [
    (
        "Le consortium a retiré sa demande après le rachat du coordinateur.",
        "The consortium withdrew its application after the coordinator was taken over.",
    ),
]
OUTCOME_NOTES: dict[str, list[tuple[str, str]]] = {
    "funded": [
        ("Convention d'aide signée.", "Aid agreement signed."),
        ("Aide accordée, avances remboursables comprises.", "Aid granted, repayable advances included."),
        ("", ""),
    ],
    "not_funded": [
        ("Non retenu par le financeur : appel très concurrentiel.",
         "Not selected by the funder: a very competitive call."),
        ("Le financeur juge le marché insuffisamment démontré.",
         "The funder found the market insufficiently shown."),
    ],
}  # fmt: skip
DECLINES: list[tuple[str, str]] = [
    ("Indisponible sur la période d'expertise.", "Not available during the review period."),
    ("Sujet trop éloigné de mes compétences.", "The subject is too far from my expertise."),
    ("Charge de travail trop importante ce trimestre.", "Too much work this quarter."),
]
EXCLUSIONS: list[tuple[str, str]] = [
    ("Concurrent direct sur le même marché.", "A direct competitor on the same market."),
    ("Litige commercial en cours avec le coordinateur.", "An ongoing commercial dispute with the coordinator."),
]  # fmt: skip
RELATIONSHIP_NOTES: dict[str, tuple[str, str]] = {
    "competitor": ("Concurrent sur les mêmes produits.", "A competitor on the same products."),
    "client": ("Client de missions de conseil.", "A client of consulting work."),
    "supplier": ("Fournisseur de composants.", "A supplier of components."),
    "former_employer": ("Ancien employeur.", "A former employer."),
}

# The cluster's team members who review files (the staff experts): name, gender, job title
# (French, English).
STAFF_EXPERTS: list[tuple[str, str, str, str, str]] = [
    ("Thomas", "Girard", "m", "Chargé de mission projets collaboratifs",
     "Collaborative projects officer"),
    ("Émilie", "Laurent", "f", "Conseillère innovation et financements",
     "Innovation and funding adviser"),
]  # fmt: skip
# Outside experts: consultants, retired engineers, academics of other regions.
OUTSIDE_DOMAINS: list[str] = [
    "expertise-photonique.example",
    "conseil-innovation.example",
    "univ-lyon-optique.example",
    "institut-optique-paris.example",
    "laser-consulting.example",
]


@dataclass(frozen=True)
class OutsideProfile:
    title_m: str
    title_f: str
    title_en: str
    bio_fr: str
    bio_en: str


OUTSIDE_PROFILES: list[OutsideProfile] = [
    OutsideProfile(
        "Consultant en innovation", "Consultante en innovation", "Innovation consultant",
        "Ancienne direction R&D d'un groupe d'optronique, expertise pour Bpifrance.",
        "Former R&D management in an optronics group, expert for Bpifrance.",
    ),
    OutsideProfile(
        "Professeur des universités", "Professeure des universités", "University professor",
        "Enseignement et recherche sur les lasers et leurs applications industrielles.",
        "Teaching and research on lasers and their industrial applications.",
    ),
    OutsideProfile(
        "Conseil en propriété industrielle", "Conseil en propriété industrielle",
        "Patent attorney",
        "Stratégie d'innovation et propriété industrielle des technologies optiques.",
        "Innovation strategy and intellectual property of optical technologies.",
    ),
    OutsideProfile(
        "Ingénieur de recherche", "Ingénieure de recherche", "Research engineer",
        "Vingt ans d'expérience en instrumentation spatiale.",
        "Twenty years of experience in space instrumentation.",
    ),
    OutsideProfile(
        "Expert en dispositifs médicaux", "Experte en dispositifs médicaux",
        "Medical devices expert",
        "Dispositifs médicaux optiques, essais cliniques et réglementation.",
        "Optical medical devices, clinical trials and regulation.",
    ),
]  # fmt: skip
DEMO_EXPERT_BIO = (
    "Consultant indépendant en ingénierie optique : conception de systèmes d'imagerie, "
    "infrarouge et lidar, pour le spatial, la défense et l'industrie.",
    "Independent optical engineering consultant: imaging, infrared and lidar system design for "
    "space, defence and industry.",
)
VOLUNTEER_BIO = (
    "Expert bénévole du pôle, {title} chez {organisation}.",
    "Volunteer expert of the cluster, {title} at {organisation}.",
)

# The public summary's second sentence: the first use aimed at (French, English).
USE_SENTENCE = ("Il vise d'abord {use}.", "It targets {use} first.")
