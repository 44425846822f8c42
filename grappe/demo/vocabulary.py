"""The words of the demo cluster: places, names, titles and the sentences that open profiles.

Everything here is invented or generic (first names, surnames, place names): no real company,
laboratory or public body is named. Lists are ordered and never iterated as sets, so that the
seeded generator draws the same cluster every time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClusterDetails:
    name: str
    legal_name: str
    street: str
    postcode: str
    city: str
    email: str
    bank: tuple[str, str, str]  # bank code, branch, account: an invented bank, no real account
    bic: str
    domain: str


CLUSTER = ClusterDetails(
    name="Pôle Lumière Sud",
    legal_name="Association Pôle Lumière Sud",
    street="38 rue Frédéric Joliot, Technopôle de Château-Gombert",
    postcode="13013",
    city="Marseille",
    email="contact@pole-lumiere-sud.example",
    bank=("99990", "00013", "00012345678"),
    bic="DEMOFRPPXXX",
    domain="pole-lumiere-sud.example",
)


@dataclass(frozen=True)
class City:
    key: str
    name_fr: str
    name_en: str
    region: str
    country: str
    postcode: str
    latitude: float
    longitude: float
    phone: str  # international prefix with the area code
    academic: bool = False  # hosts universities and research labs
    weight: int = 1  # how often companies settle here, within its region


CITIES: list[City] = [
    # Provence-Alpes-Côte d'Azur
    City("marseille", "Marseille", "Marseille", "FRL0", "FR", "13013", 43.3417, 5.4331, "+33 4 91", True, 14),
    City("aix", "Aix-en-Provence", "Aix-en-Provence", "FRL0", "FR", "13290", 43.4906, 5.3725, "+33 4 42", True, 8),
    City("nice", "Nice", "Nice", "FRL0", "FR", "06200", 43.7031, 7.2661, "+33 4 93", True, 4),
    City("sophia", "Sophia Antipolis", "Sophia Antipolis", "FRL0", "FR", "06560", 43.6163, 7.0552, "+33 4 92", True, 9),
    City("valbonne", "Valbonne", "Valbonne", "FRL0", "FR", "06560", 43.6411, 7.0089, "+33 4 93", False, 2),
    City("toulon", "Toulon", "Toulon", "FRL0", "FR", "83000", 43.1242, 5.9280, "+33 4 94", True, 4),
    City("seyne", "La Seyne-sur-Mer", "La Seyne-sur-Mer", "FRL0", "FR", "83500", 43.1007, 5.8788, "+33 4 94", False, 2),
    City("avignon", "Avignon", "Avignon", "FRL0", "FR", "84000", 43.9493, 4.8055, "+33 4 90", True, 2),
    City("ciotat", "La Ciotat", "La Ciotat", "FRL0", "FR", "13600", 43.1748, 5.6046, "+33 4 42", False, 3),
    City("rousset", "Rousset", "Rousset", "FRL0", "FR", "13790", 43.4828, 5.6196, "+33 4 42", False, 3),
    City("gemenos", "Gémenos", "Gémenos", "FRL0", "FR", "13420", 43.2953, 5.6286, "+33 4 42", False, 2),
    City("meyreuil", "Meyreuil", "Meyreuil", "FRL0", "FR", "13590", 43.4876, 5.4951, "+33 4 42", False, 1),
    City("vitrolles", "Vitrolles", "Vitrolles", "FRL0", "FR", "13127", 43.4600, 5.2486, "+33 4 42", False, 2),
    City("cannes", "Cannes", "Cannes", "FRL0", "FR", "06150", 43.5528, 7.0174, "+33 4 93", False, 2),
    City("hyeres", "Hyères", "Hyères", "FRL0", "FR", "83400", 43.1204, 6.1286, "+33 4 94", False, 1),
    City("manosque", "Manosque", "Manosque", "FRL0", "FR", "04100", 43.8284, 5.7867, "+33 4 92", False, 1),
    City("pertuis", "Pertuis", "Pertuis", "FRL0", "FR", "84120", 43.6940, 5.5016, "+33 4 90", False, 1),
    # Occitanie – Midi-Pyrénées
    City("toulouse", "Toulouse", "Toulouse", "FRJ2", "FR", "31400", 43.5615, 1.4680, "+33 5 61", True, 8),
    City("labege", "Labège", "Labège", "FRJ2", "FR", "31670", 43.5331, 1.5128, "+33 5 62", False, 3),
    City("blagnac", "Blagnac", "Blagnac", "FRJ2", "FR", "31700", 43.6372, 1.3899, "+33 5 62", False, 2),
    City("tarbes", "Tarbes", "Tarbes", "FRJ2", "FR", "65000", 43.2328, 0.0781, "+33 5 62", True, 1),
    City("castres", "Castres", "Castres", "FRJ2", "FR", "81100", 43.6058, 2.2398, "+33 5 63", False, 1),
    # Occitanie – Languedoc-Roussillon
    City("montpellier", "Montpellier", "Montpellier", "FRJ1", "FR", "34090", 43.6319, 3.8626, "+33 4 67", True, 7),
    City("nimes", "Nîmes", "Nîmes", "FRJ1", "FR", "30900", 43.8367, 4.3601, "+33 4 66", True, 2),
    City("perpignan", "Perpignan", "Perpignan", "FRJ1", "FR", "66100", 42.6887, 2.8948, "+33 4 68", True, 1),
    City("ales", "Alès", "Alès", "FRJ1", "FR", "30100", 44.1250, 4.0817, "+33 4 66", True, 1),
    # Elsewhere in France
    City("palaiseau", "Palaiseau", "Palaiseau", "FR10", "FR", "91120", 48.7145, 2.2457, "+33 1 69", True, 2),
    City("paris", "Paris", "Paris", "FR10", "FR", "75013", 48.8322, 2.3561, "+33 1 45", True, 2),
    City("grenoble", "Grenoble", "Grenoble", "FRK2", "FR", "38000", 45.1885, 5.7245, "+33 4 76", True, 2),
    City("lyon", "Lyon", "Lyon", "FRK2", "FR", "69007", 45.7485, 4.8467, "+33 4 72", False, 1),
    City("talence", "Talence", "Talence", "FRI1", "FR", "33400", 44.8075, -0.5886, "+33 5 56", True, 1),
    City("bordeaux", "Bordeaux", "Bordeaux", "FRI1", "FR", "33000", 44.8378, -0.5792, "+33 5 56", False, 1),
    City("lannion", "Lannion", "Lannion", "FRH0", "FR", "22300", 48.7326, -3.4566, "+33 2 96", True, 2),
    City("rennes", "Rennes", "Rennes", "FRH0", "FR", "35000", 48.1173, -1.6778, "+33 2 99", False, 1),
    # Europe
    City("munich", "Munich", "Munich", "DE21", "DE", "80807", 48.1351, 11.5820, "+49 89", True, 1),
    City("barcelona", "Barcelone", "Barcelona", "ES51", "ES", "08860", 41.2753, 1.9870, "+34 93", True, 1),
    City("milan", "Milan", "Milan", "ITC4", "IT", "20133", 45.4781, 9.2275, "+39 02", True, 1),
    City("brussels", "Bruxelles", "Brussels", "BE10", "BE", "1050", 50.8270, 4.3720, "+32 2", False, 1),
    City("lausanne", "Lausanne", "Lausanne", "CH01", "CH", "1015", 46.5197, 6.5660, "+41 21", True, 1),
]  # fmt: skip

# Where organisations are based (NUTS 2 code: weight), most of them in the two home regions.
REGION_WEIGHTS: list[tuple[str, int]] = [
    ("FRL0", 62), ("FRJ2", 12), ("FRJ1", 11), ("FR10", 4), ("FRK2", 3), ("FRI1", 2),
    ("FRH0", 2), ("DE21", 1), ("ES51", 1), ("ITC4", 1), ("BE10", 1), ("CH01", 1),
]  # fmt: skip

STREETS: list[str] = [
    "rue Frédéric Joliot", "avenue de l'Europe", "rue Louis Lépine", "chemin des Oliviers",
    "avenue Gaston Berger", "rue de la Carrière", "boulevard de la Mer", "allée des Cigales",
    "rue Ampère", "avenue Augustin Fresnel", "rue Marie Curie", "impasse des Pins",
    "avenue du Pic de Bertagne", "rue Albert Einstein", "avenue de la Lumière",
    "rue Léon Foucault", "chemin de la Garrigue", "avenue des Platanes", "rue Hippolyte Fizeau",
    "rue du Mistral", "avenue Jean Perrin", "parc d'activités des Vallons", "rue Sadi Carnot",
    "rue Niels Bohr", "avenue de la Méditerranée", "rue des Lavandes", "quai du Port",
]  # fmt: skip

FOREIGN_STREETS: dict[str, list[str]] = {
    "DE": ["Lichtenbergstraße", "Leopoldstraße", "Optikweg"],
    "ES": ["Carrer de l'Òptica", "Avinguda Carl Friedrich Gauss", "Carrer del Sol"],
    "IT": ["Via Fotonica", "Viale della Luce", "Via Giuseppe Colombo"],
    "BE": ["Rue de la Lumière", "Avenue Louise", "Rue des Lasers"],
    "CH": ["Route de la Sorge", "Chemin du Lac", "Rue de l'Optique"],
}

# First names by language and grammatical gender (French job titles agree with it).
FIRST_NAMES: dict[str, dict[str, list[str]]] = {
    "FR": {
        "f": ["Camille", "Léa", "Manon", "Chloé", "Sarah", "Julie", "Laura", "Marion", "Élodie",
              "Céline", "Sophie", "Nathalie", "Isabelle", "Claire", "Émilie", "Aurélie", "Pauline",
              "Mathilde", "Lucie", "Inès", "Anaïs", "Charlotte", "Hélène", "Valérie", "Sandrine",
              "Virginie", "Nadia", "Amandine", "Margaux", "Clémence", "Agnès", "Delphine", "Maëlle",
              "Yasmina", "Karine", "Audrey", "Béatrice", "Florence", "Lina", "Noémie"],
        "m": ["Thomas", "Nicolas", "Julien", "Maxime", "Alexandre", "Antoine", "Pierre",
              "Guillaume", "Romain", "Sébastien", "Mathieu", "Jérôme", "Olivier", "Laurent",
              "Stéphane", "Frédéric", "Christophe", "François", "Philippe", "Vincent", "Hugo",
              "Lucas", "Louis", "Arthur", "Benoît", "Damien", "Fabien", "Cédric", "Yannick",
              "Karim", "Mehdi", "Rémi", "Bruno", "Xavier", "Gilles", "Patrick", "Éric", "Thierry",
              "Jean-Marc", "Marc-Antoine", "Théo", "Adrien"],
    },
    # People of other origins working in French organisations (they often prefer English).
    "INT": {
        "f": ["Emma", "Olivia", "Hannah", "Ana", "Priya", "Mei", "Sofia", "Aisha"],
        "m": ["Daniel", "James", "Michael", "Mateo", "Rahul", "Wei", "Tomasz", "Kwame"],
    },
    "DE": {"f": ["Anna", "Lena", "Katharina", "Julia", "Sabine"],
           "m": ["Jonas", "Lukas", "Felix", "Tobias", "Stefan", "Markus"]},
    "ES": {"f": ["Laura", "Marta", "Lucía", "Elena", "Núria"],
           "m": ["Javier", "Pablo", "Jordi", "Sergio", "Àlex"]},
    "IT": {"f": ["Giulia", "Chiara", "Francesca", "Sara", "Elisa"],
           "m": ["Marco", "Luca", "Andrea", "Matteo", "Paolo"]},
    "BE": {"f": ["Marie", "Sophie", "Elise", "Charlotte", "Laure"],
           "m": ["Thomas", "Maxime", "Pieter", "Wout", "Julien"]},
    "CH": {"f": ["Léa", "Nina", "Céline", "Anne", "Fabienne"],
           "m": ["Nicolas", "David", "Samuel", "Yves", "Luca"]},
}  # fmt: skip
LAST_NAMES: dict[str, list[str]] = {
    "FR": [
        "Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
        "Fournier", "Morel", "Girard", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
        "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin",
        "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis",
        "Dumont", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud",
        "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard",
        "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger",
        "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
        "Bourgeois", "Pierre", "Rey", "Leclerc", "Payet", "Rolland", "Guillaume", "Lecomte",
        "Bonnet", "Aubry", "Marchetti", "Santoni", "Ferrandi", "Castellano", "Pellegrino",
        "Orsini", "Imbert", "Bonifay", "Audibert", "Granier", "Ricard", "Bellon", "Chabert",
        "Benali", "Haddad", "Mansouri", "Nguyen", "Tran", "Ferreira", "Da Silva", "Lopez",
        "Sanchez", "Costa", "Esposito", "Maillard", "Jourdan", "Vasseur", "Tessier", "Lambert",
    ],
    "INT": ["Walker", "Novak", "Kowalski", "Andersen", "Sato", "Silva", "Okafor", "Patel", "Chen",
            "Ivanova"],
    "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
           "Keller", "Hartmann"],
    "ES": ["García", "Martínez", "Puig", "Ferrer", "Soler", "Vidal", "Serra", "Romero", "Navarro",
           "Roca"],
    "IT": ["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Galli",
           "Conti"],
    "BE": ["Peeters", "Janssens", "Maes", "Jacobs", "Dupont", "Lambert", "Dubois", "Claes",
           "Wouters", "Goossens"],
    "CH": ["Favre", "Rochat", "Bühler", "Meier", "Jaquet", "Perret", "Baumann", "Dubuis",
           "Monnier", "Rey"],
}  # fmt: skip

# Job titles by affiliation role: (French, masculine), (French, feminine), English.
JOB_TITLES: dict[str, list[tuple[str, str, str]]] = {
    "executive": [
        ("Président-directeur général", "Présidente-directrice générale", "Chairman and CEO"),
        ("Directeur général", "Directrice générale", "Managing director"),
        ("Directeur des opérations", "Directrice des opérations", "Chief operating officer"),
    ],
    "technical": [
        ("Directeur R&D", "Directrice R&D", "R&D director"),
        ("Ingénieur opticien", "Ingénieure opticienne", "Optical engineer"),
        ("Responsable du bureau d'études", "Responsable du bureau d'études", "Head of engineering"),
        ("Ingénieur photonique", "Ingénieure photonique", "Photonics engineer"),
        ("Responsable innovation", "Responsable innovation", "Innovation manager"),
        ("Ingénieur systèmes", "Ingénieure systèmes", "Systems engineer"),
        ("Chef de projet technique", "Cheffe de projet technique", "Technical project manager"),
        ("Responsable qualité", "Responsable qualité", "Quality manager"),
        ("Ingénieur laser", "Ingénieure laser", "Laser engineer"),
        ("Responsable production", "Responsable production", "Production manager"),
    ],
    "sales": [
        ("Responsable commercial export", "Responsable commerciale export", "Export sales manager"),
        ("Chargé d'affaires", "Chargée d'affaires", "Account manager"),
        ("Directeur commercial", "Directrice commerciale", "Sales director"),
        ("Responsable marketing", "Responsable marketing", "Marketing manager"),
    ],
    "finance": [
        ("Responsable administratif et financier", "Responsable administrative et financière",
         "Head of administration and finance"),
        ("Directeur administratif et financier", "Directrice administrative et financière",
         "Chief financial officer"),
        ("Assistant de direction", "Assistante de direction", "Executive assistant"),
    ],
    "researcher": [
        ("Directeur de recherche", "Directrice de recherche", "Research director"),
        ("Chargé de recherche", "Chargée de recherche", "Research scientist"),
        ("Maître de conférences", "Maîtresse de conférences", "Associate professor"),
        ("Professeur des universités", "Professeure des universités", "Professor"),
        ("Ingénieur de recherche", "Ingénieure de recherche", "Research engineer"),
        ("Post-doctorant", "Post-doctorante", "Postdoctoral researcher"),
    ],
    "communication": [
        ("Chargé de communication", "Chargée de communication", "Communications officer"),
        ("Responsable des relations publiques", "Responsable des relations publiques",
         "Public relations manager"),
    ],
    "other": [
        ("Chargé de mission innovation", "Chargée de mission innovation", "Innovation officer"),
        ("Chargé de développement économique", "Chargée de développement économique",
         "Economic development officer"),
        ("Consultant", "Consultante", "Consultant"),
        ("Responsable des relations entreprises", "Responsable des relations entreprises",
         "Business relations manager"),
    ],
}  # fmt: skip
# The administrator's title: the head of the organisation, by kind.
ADMIN_TITLES: dict[str, tuple[str, str, str]] = {
    "startup": ("Président et cofondateur", "Présidente et cofondatrice", "CEO and co-founder"),
    "sme": ("Président-directeur général", "Présidente-directrice générale", "Chairman and CEO"),
    "midsize": ("Directeur général", "Directrice générale", "Chief executive officer"),
    "large": ("Directeur de l'établissement", "Directrice de l'établissement", "Site director"),
    "lab": ("Directeur du laboratoire", "Directrice du laboratoire", "Laboratory director"),
    "university": ("Directeur des relations entreprises", "Directrice des relations entreprises",
                   "Director of corporate relations"),
    "tech_centre": ("Directeur du centre", "Directrice du centre", "Centre director"),
    "public": ("Directeur de l'innovation", "Directrice de l'innovation", "Director of innovation"),
    "association": ("Délégué général", "Déléguée générale", "General delegate"),
    "other": ("Associé gérant", "Associée gérante", "Managing partner"),
}  # fmt: skip

# Company names: invented place words and trades, combined by the generator.
# Place words for company names, by the region they evoke ("" for anywhere).
NAME_PLACES: dict[str, list[str]] = {
    "FRL0": ["Azur", "Calanque", "Mistral", "Luberon", "Estérel", "Camargue", "Ventoux",
             "Verdon", "Alpilles", "Lérins", "Phocée", "Garlaban", "Sainte-Baume", "Durance",
             "Massalia", "Olbia", "Antipolis", "Nikaïa", "Porquerolles", "Vaucluse"],
    "FRJ1": ["Cévennes", "Corbières", "Aigoual", "Minervois", "Canigou", "Camargue"],
    "FRJ2": ["Garonne", "Pastel", "Lauragais", "Canigou", "Pyrène"],
    "": ["Littoral", "Méditerranée", "Sud"],
}  # fmt: skip
NAME_TRADES: list[str] = [
    "Optronique", "Photonique", "Lasers", "Optique", "Vision", "Spectrométrie", "Imagerie",
    "Fibres", "Capteurs", "Instruments", "Photonics", "Optics", "Sensing", "Quantum", "Lidar",
    "Infrarouge", "Métrologie", "Systèmes optiques", "Microoptique",
]  # fmt: skip
NAME_PREFIXES: list[str] = [
    "Lumi", "Photo", "Opti", "Spectr", "Quant", "Hélio", "Lux", "Iri", "Prism", "Cohé", "Ondu",
    "Phaso", "Kéra", "Astre", "Nimbo", "Zéni", "Calli", "Oré", "Vitra", "Fluo", "Séla",
]  # fmt: skip
NAME_SUFFIXES: list[str] = [
    "ane", "éo", "ys", "ix", "iance", "alys", "ika", "onde", "éa", "ora", "ens", "ium", "eos",
    "ola", "yne", "ova",
]  # fmt: skip
LARGE_GROUP_NAMES: list[str] = [
    "Astrelle Systems", "Héliotrope Industries", "Vesper Aérospatiale", "Orionis Défense",
    "Sémaphore Électronique", "Boréal Optronics", "Méridienne Technologies", "Zénithe Group",
    "Cassiopée Space", "Polaris Méditerranée", "Alcyone Énergie", "Nautilia Marine Systems",
    "Stellaria Health", "Altaïr Industries", "Véga Semiconducteurs", "Aldébaran Mobility",
]  # fmt: skip
FAMILY_SME_TEMPLATES: list[str] = [
    "Optique {surname}", "Ateliers {surname} Précision", "{surname} Photonique",
    "Établissements {surname} Optique", "{surname} & Fils Optique",
]  # fmt: skip
# Names that must not be drawn: real firms of the trade, whatever the combination gives.
REAL_NAMES_BLOCKLIST: list[str] = [
    "photonis", "lumibird", "quantel", "keopsys", "thales", "airbus", "sofradir", "lynred",
    "photon lines", "cilas", "bertin", "safran", "alcatel", "oxxius", "amplitude", "ekinops",
    "first light", "greenerwave", "irisiome", "kylia", "aerodiode", "exail", "ixblue",
    "phasics", "imagine optic", "alphanov", "azur light", "optitec", "popsud", "photonics bretagne",
    "astrium", "lumix", "irix", "quantix", "helium", "hélium", "orora",
    "lumière", "lumiere",  # reserved for the cluster's own name
]  # fmt: skip

# Research, training, public and other bodies: invented names, `{de_city}` is "de Marseille".
LAB_NAMES: list[tuple[str, str]] = [
    ("Laboratoire d'Optique Appliquée {de_city}", "LOA"),
    ("Institut de Photonique Méditerranée", "IPM"),
    ("Laboratoire des Lasers et Plasmas {de_city}", "LLP"),
    ("Laboratoire d'Imagerie Biomédicale {de_city}", "LIB"),
    ("Institut des Matériaux pour l'Optique", "IMO"),
    ("Laboratoire de Nanophotonique et Métamatériaux", "LNM"),
    ("Laboratoire d'Instrumentation Spatiale du Sud", "LISS"),
    ("Laboratoire de Spectroscopie de l'Atmosphère", "LSA"),
    ("Équipe d'Optique Quantique {de_city}", "EOQ"),
    ("Laboratoire Photonique et Télécommunications", "LPT"),
    ("Institut de Recherche en Vision Industrielle", "IRVI"),
    ("Laboratoire des Capteurs Optiques pour l'Environnement", "LCOE"),
    ("Laboratoire d'Optique Adaptative et d'Astronomie", "LOAA"),
    ("Centre de Recherche en Biophotonique", "CRB"),
    ("Laboratoire Interdisciplinaire Lumière-Matière", "LILM"),
    ("Laboratoire d'Électronique et de Photonique Intégrée", "LEPI"),
    ("Institut Européen de Photonique Fondamentale", "IEPF"),
    ("Laboratoire de Physique des Semi-conducteurs Optiques", "LPSO"),
]  # fmt: skip
UNIVERSITY_NAMES: list[tuple[str, str]] = [
    ("Université Méditerranée Sciences et Technologies", "UMST"),
    ("École d'Ingénieurs en Photonique {de_city}", "EIP"),
    ("Institut Polytechnique du Sud", "IPS"),
    ("École Supérieure d'Optique Appliquée", "ESOA"),
    ("Université des Sciences {de_city}", "USC"),
    ("École Nationale d'Ingénieurs des Systèmes Embarqués", "ENISE"),
    ("Institut Universitaire de Technologie Mesures Physiques {de_city}", "IUT MP"),
    ("École Supérieure des Technologies de la Lumière {de_city}", "ESTL"),
    ("École Européenne d'Optique et Vision", "EEOV"),
    ("Université Polytechnique Occitane", "UPO"),
]  # fmt: skip
TECH_CENTRE_NAMES: list[tuple[str, str]] = [
    ("Centre Technique de la Photonique du Sud", "CTPS"),
    ("Plateforme Laser Occitanie", "PLO"),
    ("Centre d'Essais Optiques de Provence", "CEOP"),
    ("Centre de Transfert en Imagerie", "CTI"),
    ("Plateforme Technologique Couches Minces", "PTCM"),
    ("Centre d'Intégration Photonique", "CIP"),
    ("Centre Régional de Métrologie Optique", "CRMO"),
    ("Institut de Transfert Lidar et Capteurs", "ITLC"),
    ("Plateforme Usine du Futur Laser", "PUFL"),
    ("Centre de Qualification Spatiale du Sud", "CQSS"),
    ("Centre Européen de Fibres Spéciales", "CEFS"),
    ("Centre d'Innovation en Optique Agricole", "CIOA"),
]  # fmt: skip
PUBLIC_NAMES: list[str] = [
    "Agence Régionale pour l'Innovation Sud",
    "Métropole Littoral Méditerranée – Direction du développement économique",
    "Communauté d'agglomération des Collines",
    "Chambre de commerce et d'industrie du Littoral",
    "Technopôle des Calanques",
    "Agence de développement économique du Var Est",
    "Mission régionale pour la technologie et l'innovation",
    "Syndicat mixte du parc scientifique de la Garrigue",
]  # fmt: skip
ASSOCIATION_NAMES: list[str] = [
    "Club des Industriels de l'Optique du Sud",
    "Réseau Photonique Méditerranée",
    "Association Lumière et Patrimoine",
    "Société Astronomique Amateur des Calanques",
    "Association des Utilisateurs de Lasers Industriels",
    "Fédération des Entreprises du Spatial Sud",
    "Club Santé Innovation Côte d'Azur",
    "Association Jeunes Docteurs en Photonique",
    "Réseau des Femmes de l'Optique",
    "Groupement des Sous-traitants de Précision",
    "Association Vision et Agriculture",
    "Maison de l'Entrepreneuriat Scientifique",
]  # fmt: skip
OTHER_NAMES: list[tuple[str, str]] = [
    ("Cabinet Brevets Optiques Conseil", "69.10"),
    ("Fonds d'Amorçage Azur Innovation", "64.30"),
    ("Bureau d'études Optimeca Conseil", "71.12"),
    ("Incubateur Sciences et Lumière", "70.22"),
    ("Cabinet d'Intelligence Économique Périscope", "70.22"),
    ("Société de Conseil en Financement de l'Innovation", "70.22"),
    ("Agence de Design Industriel Lignes Claires", "74.10"),
    ("Laboratoire d'Analyses Eaux et Environnement du Sud", "71.20"),
]  # fmt: skip
# Foreign partners of the cluster (not members): kind, city key, name, legal suffix.
PARTNERS: list[tuple[str, str, str, str]] = [
    ("lab", "munich", "Institut für Angewandte Lichttechnik", "e.V."),
    ("tech_centre", "barcelona", "Centre Tecnològic Làser del Vallès", "Fundació"),
    ("sme", "milan", "Fotonica Lombarda", "S.r.l."),
    ("association", "brussels", "Brussels Light Network", "ASBL"),
    ("university", "lausanne", "École d'Ingénierie Optique du Léman", ""),
    ("midsize", "munich", "Lichtwerk Präzisionsoptik", "GmbH"),
]  # fmt: skip
FOREIGN_LEGAL_SUFFIX: dict[str, str] = {
    "DE": "GmbH", "ES": "S.L.", "IT": "S.r.l.", "BE": "SA/NV", "CH": "SA",
}  # fmt: skip
FOREIGN_TRADES: list[str] = ["Photonics", "Optics", "Laser Systems", "Sensing", "Imaging"]


# The organisation the demo logins belong to, and the people who log in (name, gender).
@dataclass(frozen=True)
class FeaturedOrganisation:
    name: str
    kind: str
    city: str
    founded: int
    member_since: int
    technologies: tuple[str, ...]
    markets: tuple[str, ...]
    value_chain: tuple[str, ...]
    trl: tuple[int, int]
    admin: tuple[str, str, str]
    member: tuple[str, str, str]
    requester: tuple[str, str, str]


FEATURED = FeaturedOrganisation(
    name="Azur Optronique",
    kind="sme",
    city="marseille",
    founded=2004,
    member_since=2012,
    technologies=("tech.imaging.hyperspectral", "tech.infrared.swir", "tech.systems.design"),
    markets=("market.space", "market.defence", "market.agrifood"),
    value_chain=("chain.subsystems", "chain.systems"),
    trl=(5, 8),
    admin=("Sophie", "Marchetti", "f"),
    member=("Lucas", "Bernard", "m"),
    requester=("Hugo", "Castellano", "m"),
)
STAFF_LOGIN = ("Claire", "Fabre", "Chargée de mission adhésions et services aux membres")
EXPERT_LOGIN = ("Jean-Marc", "Olivier", "Consultant indépendant en ingénierie optique")
REGISTERED_LOGIN = ("Nadia", "Benali", "courriel.example")
DEMO_PASSWORD = "lumiere-sud-demo"  # noqa: S105 -- printed for the demo logins

# The opening sentence of a profile by kind; the same keys in both languages.
OPENINGS_FR: dict[str, str] = {
    "startup": "{name} est une jeune entreprise innovante fondée en {founded} {a_city}.",
    "sme": "{name} est une PME implantée {a_city} depuis {founded}.",
    "midsize": "{name} est une entreprise de taille intermédiaire fondée en {founded}, dont le siège est {a_city}.",
    "large": "{name} est un groupe industriel présent {a_city} depuis {founded}.",
    "subsidiary": "{name}, filiale de {parent}, est implantée {a_city} depuis {founded}.",
    "lab": "{name} est un laboratoire de recherche public basé {a_city}.",
    "university": "{name} forme des ingénieurs, des techniciens et des docteurs en optique et photonique {a_city}.",
    "tech_centre": "{name} est un centre technique au service des entreprises, basé {a_city}, qui met ses équipements et ses experts à leur disposition.",
    "public": "{name} soutient l'innovation et l'implantation des entreprises sur son territoire, {a_city}.",
    "association": "{name} est une association qui fédère ses membres autour de l'optique et de la photonique, {a_city}.",
    "other": "{name} accompagne les entreprises innovantes de l'optique et de la photonique depuis {founded}, {a_city}.",
}
OPENINGS_EN: dict[str, str] = {
    "startup": "{name} is an innovative start-up founded in {founded} {in_city}.",
    "sme": "{name} is an SME based {in_city} since {founded}.",
    "midsize": "{name} is a mid-size company founded in {founded} and headquartered {in_city}.",
    "large": "{name} is an industrial group present {in_city} since {founded}.",
    "subsidiary": "{name}, a subsidiary of {parent}, has been based {in_city} since {founded}.",
    "lab": "{name} is a public research laboratory based {in_city}.",
    "university": "{name} trains engineers, technicians and doctors in optics and photonics {in_city}.",
    "tech_centre": "{name} is a technical centre serving companies {in_city}, opening its equipment and experts to them.",
    "public": "{name} supports innovation and helps companies settle in its area, {in_city}.",
    "association": "{name} is an association bringing its members together around optics and photonics, {in_city}.",
    "other": "{name} has supported innovative optics and photonics companies since {founded}, {in_city}.",
}
# For bodies that do not make things themselves: what they follow, then the competence names.
FOCUS_FR = "Ses actions portent en particulier sur : {items}."
FOCUS_EN = "Its work focuses in particular on: {items}."
RESEARCH_BRIDGE_FR = "Ses équipes travaillent avec les industriels du pôle."
RESEARCH_BRIDGE_EN = "Its teams work with the cluster's industrial members."

MOTIVATIONS_FR: list[str] = [
    "Nous souhaitons rencontrer des partenaires industriels et académiques de la région.",
    "Nous préparons un projet collaboratif et cherchons des partenaires et un label.",
    "Nous voulons exposer sur le pavillon collectif du pôle lors des prochains salons.",
    "Nous cherchons à recruter et à faire connaître notre offre auprès des grands donneurs d'ordre.",
    "Nous souhaitons participer aux missions à l'international organisées par le pôle.",
    "Nous voulons accéder aux plateformes technologiques mutualisées des membres.",
]  # fmt: skip
RESIGNATION_REASONS: list[str] = [
    "Recentrage de l'activité hors de la photonique.",
    "Contraintes budgétaires : adhésion suspendue.",
    "Rachat par un groupe déjà adhérent par ailleurs.",
    "Cessation d'activité.",
    "Adhésion à un autre pôle plus proche de nos marchés.",
]  # fmt: skip


def de_city(city: str) -> str:
    """'de Marseille', 'd'Aix-en-Provence': the French elision before a vowel."""
    return f"d'{city}" if city[:1].lower() in "aeiouyéèêîôâh" else f"de {city}"


def a_city(city: str) -> str:
    """'à Marseille', with the usual contraction for the few cities starting with 'Le'."""
    if city.startswith("Le "):
        return f"au {city[3:]}"
    return f"à {city}"


# Competences: which application markets go with a technology branch, how often each market
# is served, what each kind of organisation does in the value chain, and its TRL range.
BRANCH_MARKETS: dict[str, list[str]] = {
    "tech.lasers": ["market.industry", "market.science", "market.health", "market.defence"],
    "tech.components": ["market.space", "market.science", "market.defence", "market.digital"],
    "tech.systems": ["market.space", "market.defence", "market.science", "market.industry"],
    "tech.imaging": ["market.industry", "market.agrifood", "market.defence", "market.health"],
    "tech.sensors": ["market.green", "market.smart_city", "market.industry", "market.aeronautics"],
    "tech.fibre": ["market.digital", "market.smart_city", "market.aeronautics", "market.green"],
    "tech.pic": ["market.digital", "market.health", "market.smart_city"],
    "tech.displays": ["market.smart_city", "market.health", "market.green", "market.digital"],
    "tech.infrared": ["market.defence", "market.aeronautics", "market.space", "market.green"],
    "tech.quantum": ["market.digital", "market.defence", "market.science"],
    "tech.biophotonics": ["market.health", "market.agrifood"],
}  # fmt: skip
BRANCH_WEIGHTS: dict[str, int] = {
    "tech.lasers": 6, "tech.components": 6, "tech.systems": 6, "tech.imaging": 6,
    "tech.sensors": 5, "tech.fibre": 3, "tech.pic": 3, "tech.displays": 2, "tech.infrared": 4,
    "tech.quantum": 2, "tech.biophotonics": 4,
}  # fmt: skip
MARKET_WEIGHTS: dict[str, int] = {
    "market.space": 6, "market.aeronautics": 4, "market.defence": 6, "market.health": 6,
    "market.agrifood": 3, "market.green": 4, "market.digital": 3, "market.industry": 5,
    "market.smart_city": 2, "market.science": 3,
}  # fmt: skip
VALUE_CHAIN_BY_KIND: dict[str, list[str]] = {
    "startup": ["chain.research", "chain.components", "chain.subsystems", "chain.systems"],
    "sme": ["chain.components", "chain.subsystems", "chain.systems", "chain.services",
            "chain.distribution", "chain.integration"],
    "midsize": ["chain.subsystems", "chain.systems", "chain.integration"],
    "large": ["chain.systems", "chain.integration"],
    "lab": ["chain.research"],
    "university": ["chain.research", "chain.services"],
    "tech_centre": ["chain.services", "chain.research"],
    "public": ["chain.services"],
    "association": ["chain.services"],
    "other": ["chain.services", "chain.distribution"],
}  # fmt: skip
TRL_BY_KIND: dict[str, list[tuple[int, int]]] = {
    "startup": [(3, 6), (4, 7), (4, 6)],
    "sme": [(5, 9), (6, 9), (5, 8)],
    "midsize": [(6, 9), (5, 9)],
    "large": [(6, 9), (7, 9), (4, 9)],
    "lab": [(1, 4), (2, 5), (1, 3)],
    "university": [(1, 4), (2, 4)],
    "tech_centre": [(3, 7), (4, 7), (4, 8)],
    "public": [(4, 7)],
    "association": [(5, 9)],
    "other": [(4, 8), (5, 9)],
}  # fmt: skip
