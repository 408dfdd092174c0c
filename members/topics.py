"""The network's topics as named in its press texts; seeded by a data migration."""

NETWORK_TOPICS = [
    (
        "digitalstrategie",
        "Digitalstrategie",
        "Hilfestellung bei der Erstellung von Digitalstrategien",
    ),
    (
        "smart-city",
        "Smart City",
        "Smart-City-Anwendungen, von smarten Laternen bis Besucherlenkung",
    ),
    (
        "beteiligungsplattformen",
        "Digitale Beteiligungsplattformen",
        "Digitale Bürgerbeteiligung und Beteiligungsformate",
    ),
    ("datenschutz", "Datenschutz", "Offene Fragen im Umgang mit dem Datenschutz"),
    (
        "krisenmanagement",
        "Krisenmanagement",
        "Krisen gemeinsam meistern: Warnmittel, Lagebilder, Vorsorge",
    ),
    ("sensornetzwerke", "Sensornetzwerke", "Einsatz von Sensornetzwerken im Stadtgebiet"),
    (
        "verwaltungsdigitalisierung",
        "Verwaltungsdigitalisierung",
        "Digitalisierung in der eigenen Verwaltung, neue Workflows",
    ),
    (
        "digitale-veranstaltungen",
        "Digitale Veranstaltungen",
        "Videokonferenzen und digitale Veranstaltungsformate",
    ),
    (
        "strukturen-digitaler-projekte",
        "Strukturen für digitale Projekte",
        "Aufbau von Strukturen für digitale Projekte in der Verwaltung",
    ),
    (
        "homeoffice",
        "Homeoffice und neue Arbeitsweisen",
        "Mobiles Arbeiten und neue Arbeitsweisen in der Verwaltung",
    ),
    (
        "kommunalentwicklung",
        "Digitalisierung in der Kommunalentwicklung",
        "Lebensqualität verbessern, nicht Technik um der Technik willen",
    ),
]
