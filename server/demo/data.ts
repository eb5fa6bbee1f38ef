// The demo programme's content: two territories (one in the Hexagone, one overseas with its own
// time zone), their structures, venues and a hand-written fortnight of events. Everything here is
// fictional: names, structures and addresses only look real, and every email is on `.example`.
// The seed (seed.ts) turns this into rows; nothing here knows about the database.
import type { EventTranslations } from '../domain/event-text.ts';
import type { PublicVenue } from '../domain/venue.ts';
import type { AccessFeature, Audience, EventCategory, EventState, NeedStatus, OrganisationKind } from '../domain/vocabulary.ts';

export type TerritoryKey = 'grenoble' | 'reunion';

export interface DemoPerson {
  email: string;
  name: string;
}

export interface DemoTerritory {
  key: TerritoryKey;
  slug: string;
  name: string;
  timeZone: string;
  communes: string[];
  coordinator: DemoPerson;
  /** First digits of local mobile numbers, for fake registrants' phones. */
  mobilePrefix: string;
}

export interface DemoOrganisation {
  key: string;
  territory: TerritoryKey;
  name: string;
  kind: OrganisationKind;
  contactEmail: string;
  contactPhone: string;
  website: string | null;
  /** The organiser account that proposes this structure's events. */
  member: DemoPerson;
}

/** A venue as the public sees it (without its id, given by the database). */
export interface DemoVenue extends Omit<PublicVenue, 'id'> {
  key: string;
  territory: TerritoryKey;
  /** Owning structure; null for public places (a park, a promenade, a cinema). */
  organisation: string | null;
}

export interface DemoNeed {
  category: AccessFeature;
  detail?: string;
  status: NeedStatus;
  /** The organiser's answer, for planned / not_possible. */
  response?: string;
}

export interface DemoEvent {
  territory: TerritoryKey;
  organisation: string;
  venue: string;
  /** 0 = Monday of the first week … 13 = Sunday of the second. */
  day: number;
  /** Local time in the territory's zone, « HH:MM ». */
  start: string;
  minutes: number;
  category: EventCategory;
  audience: Audience;
  title: string;
  summary: string;
  /** The organiser's own English, as some write it for the English pages. */
  translations?: EventTranslations;
  description: string;
  easyRead?: string;
  contentNote?: string;
  onlineUrl?: string;
  capacity: number | null;
  access: AccessFeature[];
  /** Default 'published'. */
  state?: EventState;
  /** The coordinator's message for changes_requested / refused, or the cancellation reason. */
  message?: string;
  /** How full: 'full' (confirmed seats = capacity), 'waitlist' (full plus a waitlist), or a share. */
  fill?: 'full' | 'waitlist' | number;
  /** Access needs declared by the first registrants of this event. */
  needs?: DemoNeed[];
}

export const DEMO_ADMIN: DemoPerson = { email: 'admin@rassembler.example', name: 'Équipe Rassembler' };

export const DEMO_TERRITORIES: DemoTerritory[] = [
  {
    key: 'grenoble',
    slug: 'clsm-grenoble-alpes',
    name: 'CLSM Grenoble-Alpes',
    timeZone: 'Europe/Paris',
    communes: ['Grenoble', 'Échirolles', "Saint-Martin-d'Hères", 'Fontaine', 'Meylan', 'Eybens', 'Seyssinet-Pariset'],
    coordinator: { email: 'coordination@clsm-grenoble-alpes.example', name: 'Claire Fournier' },
    mobilePrefix: '06',
  },
  {
    key: 'reunion',
    slug: 'clsm-saint-denis-reunion',
    name: 'CLSM Saint-Denis de La Réunion',
    timeZone: 'Indian/Reunion',
    communes: ['Saint-Denis', 'Sainte-Marie', 'Le Port', 'La Possession', 'Sainte-Suzanne'],
    coordinator: { email: 'coordination@clsm-saint-denis.example', name: 'Johanna Hoarau' },
    mobilePrefix: '0692',
  },
];

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    key: 'autre_rive',
    territory: 'grenoble',
    name: "L'Autre Rive, soutien aux proches",
    kind: 'association',
    contactEmail: 'contact@lautre-rive.example',
    contactPhone: '04 76 21 48 30',
    website: 'https://lautre-rive.example',
    member: { email: 'mathieu.roux@lautre-rive.example', name: 'Mathieu Roux' },
  },
  {
    key: 'gem_entre_deux',
    territory: 'grenoble',
    name: "GEM L'Entre-Deux",
    kind: 'gem',
    contactEmail: 'bonjour@gem-entre-deux.example',
    contactPhone: '04 76 44 12 87',
    website: null,
    member: { email: 'lea.moreau@gem-entre-deux.example', name: 'Léa Moreau' },
  },
  {
    key: 'ville_echirolles',
    territory: 'grenoble',
    name: "Ville d'Échirolles, service santé publique",
    kind: 'service_municipal',
    contactEmail: 'sante@ville-echirolles.example',
    contactPhone: '04 76 20 63 00',
    website: 'https://ville-echirolles.example/sante',
    member: { email: 'karim.belkacem@ville-echirolles.example', name: 'Karim Belkacem' },
  },
  {
    key: 'cmp_grenoble_est',
    territory: 'grenoble',
    name: 'CMP adultes Grenoble-Est (centre hospitalier)',
    kind: 'etablissement_sante',
    contactEmail: 'cmp-grenoble-est@ch-alpes.example',
    contactPhone: '04 76 54 90 10',
    website: null,
    member: { email: 'sophie.garnier@ch-alpes.example', name: 'Dre Sophie Garnier' },
  },
  {
    key: 'mediatheque_meylan',
    territory: 'grenoble',
    name: 'Médiathèque des Béalières (Meylan)',
    kind: 'bibliotheque',
    contactEmail: 'mediatheque@meylan-bibliotheques.example',
    contactPhone: '04 76 18 54 00',
    website: 'https://meylan-bibliotheques.example',
    member: { email: 'julie.perrin@meylan-bibliotheques.example', name: 'Julie Perrin' },
  },
  {
    key: 'club_sport_sante',
    territory: 'grenoble',
    name: 'Club Sport Santé Isère',
    kind: 'club_sportif',
    contactEmail: 'accueil@sport-sante-isere.example',
    contactPhone: '06 71 32 45 18',
    website: 'https://sport-sante-isere.example',
    member: { email: 'nadia.chevalier@sport-sante-isere.example', name: 'Nadia Chevalier' },
  },
  {
    key: 'jardins_abbaye',
    territory: 'grenoble',
    name: "Collectif des jardins partagés de l'Abbaye",
    kind: 'association',
    contactEmail: 'jardins@abbaye-collectif.example',
    contactPhone: '06 62 80 11 94',
    website: null,
    member: { email: 'olivier.faure@abbaye-collectif.example', name: 'Olivier Faure' },
  },
  {
    key: 'gem_kaz_ansanm',
    territory: 'reunion',
    name: 'GEM Kaz Ansanm',
    kind: 'gem',
    contactEmail: 'kaz.ansanm@gem-reunion.example',
    contactPhone: '0262 21 37 45',
    website: null,
    member: { email: 'priscilla.payet@gem-reunion.example', name: 'Priscilla Payet' },
  },
  {
    key: 'ville_saint_denis',
    territory: 'reunion',
    name: 'Ville de Saint-Denis, direction de la santé',
    kind: 'service_municipal',
    contactEmail: 'sante@saintdenis-reunion.example',
    contactPhone: '0262 40 04 04',
    website: 'https://saintdenis-reunion.example',
    member: { email: 'ludovic.grondin@saintdenis-reunion.example', name: 'Ludovic Grondin' },
  },
  {
    key: 'cmp_saint_denis',
    territory: 'reunion',
    name: 'Pôle de santé mentale Nord, CMP de Saint-Denis',
    kind: 'etablissement_sante',
    contactEmail: 'cmp-saint-denis@psm-nord.example',
    contactPhone: '0262 90 12 60',
    website: null,
    member: { email: 'marc.techer@psm-nord.example', name: 'Marc Técher' },
  },
  {
    key: 'mediatheque_le_port',
    territory: 'reunion',
    name: 'Médiathèque Le Tamarin (Le Port)',
    kind: 'bibliotheque',
    contactEmail: 'mediatheque@leport-culture.example',
    contactPhone: '0262 42 68 20',
    website: 'https://leport-culture.example',
    member: { email: 'anais.riviere@leport-culture.example', name: 'Anaïs Rivière' },
  },
  {
    key: 'lien_ansanm',
    territory: 'reunion',
    name: 'Association Lien Ansanm',
    kind: 'association',
    contactEmail: 'contact@lien-ansanm.example',
    contactPhone: '0692 45 18 77',
    website: null,
    member: { email: 'jean-marc.hoareau@lien-ansanm.example', name: 'Jean-Marc Hoareau' },
  },
];

export const DEMO_VENUES: DemoVenue[] = [
  // Grenoble-Alpes
  {
    key: 'gem_local',
    territory: 'grenoble',
    organisation: 'gem_entre_deux',
    name: "Local du GEM L'Entre-Deux",
    address: '14 rue Très-Cloîtres',
    postcode: '38000',
    commune: 'Grenoble',
    latitude: 45.1921,
    longitude: 5.7321,
    facts: ['quietRoom'],
    accessDirections:
      "Deux marches à l'entrée : une rampe amovible est posée sur simple demande (sonner à l'interphone « GEM »). Tram B, arrêt Notre-Dame – Musée, à 200 m.",
  },
  {
    key: 'maison_habitants',
    territory: 'grenoble',
    organisation: null,
    name: 'Maison des habitant·es Teisseire',
    address: '2 rue Pablo-Picasso',
    postcode: '38100',
    commune: 'Grenoble',
    latitude: 45.1708,
    longitude: 5.7376,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'reservedParking', 'quietRoom'],
    accessDirections:
      "Entrée de plain-pied côté parking, deux places réservées devant la porte. Salle polyvalente au rez-de-chaussée. Tram C, arrêt Vallier – Catane, puis 5 minutes à pied.",
  },
  {
    key: 'parc_mistral',
    territory: 'grenoble',
    organisation: null,
    name: 'Parc Paul-Mistral, kiosque',
    address: 'Avenue Marcelin-Berthelot',
    postcode: '38000',
    commune: 'Grenoble',
    latitude: 45.1846,
    longitude: 5.7366,
    facts: ['stepFreeEntrance'],
    accessDirections:
      "Rendez-vous au kiosque, au centre du parc, par les allées goudronnées depuis l'entrée de l'hôtel de ville. Toilettes publiques accessibles près de l'anneau de vitesse.",
  },
  {
    key: 'cmp_smh',
    territory: 'grenoble',
    organisation: 'cmp_grenoble_est',
    name: 'Centre médico-psychologique Grenoble-Est',
    address: '23 avenue Gabriel-Péri',
    postcode: '38400',
    commune: "Saint-Martin-d'Hères",
    latitude: 45.1668,
    longitude: 5.7652,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'reservedParking', 'inductionLoop'],
    accessDirections:
      "Entrée principale de plain-pied, accueil à gauche. La salle de conférence est au rez-de-chaussée et équipée d'une boucle magnétique. Tram D, arrêt Les Taillées – Universités.",
  },
  {
    key: 'mediatheque_bealieres',
    territory: 'grenoble',
    organisation: 'mediatheque_meylan',
    name: 'Médiathèque des Béalières',
    address: '9 chemin des Béalières',
    postcode: '38240',
    commune: 'Meylan',
    latitude: 45.2093,
    longitude: 5.7801,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'inductionLoop'],
    accessDirections:
      "Ascenseur vers l'auditorium au premier étage, à droite de l'accueil. Boucle magnétique dans l'auditorium et à la banque d'accueil. Bus Chrono C1, arrêt Béalières.",
  },
  {
    key: 'salle_echirolles',
    territory: 'grenoble',
    organisation: 'ville_echirolles',
    name: 'Salle polyvalente du Village 2',
    address: '2 place Beaumarchais',
    postcode: '38130',
    commune: 'Échirolles',
    latitude: 45.1449,
    longitude: 5.7198,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'reservedParking', 'inductionLoop', 'quietRoom'],
    accessDirections:
      "Parking gratuit avec trois places réservées devant l'entrée. Une petite salle calme est ouverte pendant les événements, à gauche du hall. Tram A, arrêt La Butte.",
  },
  {
    key: 'cinema_fontaine',
    territory: 'grenoble',
    organisation: null,
    name: "Cinéma L'Écran des Alpes",
    address: '4 rue Hector-Berlioz',
    postcode: '38600',
    commune: 'Fontaine',
    latitude: 45.1929,
    longitude: 5.6857,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'inductionLoop'],
    accessDirections:
      "Quatre emplacements pour fauteuil au dernier rang de la grande salle, accès par la porte latérale. Casques d'amplification prêtés à la caisse. Tram A, arrêt Fontaine – Hôtel de ville.",
  },
  {
    key: 'jardin_abbaye',
    territory: 'grenoble',
    organisation: 'jardins_abbaye',
    name: "Jardin partagé de l'Abbaye",
    address: "Rue de l'Abbaye, derrière l'école élémentaire",
    postcode: '38100',
    commune: 'Grenoble',
    latitude: 45.1803,
    longitude: 5.7437,
    facts: [],
    accessDirections:
      "Portail vert ouvert pendant les animations. Les allées sont en gravier et peuvent être difficiles en fauteuil : les bénévoles peuvent vous accompagner jusqu'aux bacs surélevés.",
  },
  {
    key: 'gymnase_smh',
    territory: 'grenoble',
    organisation: 'club_sport_sante',
    name: 'Gymnase Pablo-Neruda',
    address: '11 rue Pablo-Neruda',
    postcode: '38400',
    commune: "Saint-Martin-d'Hères",
    latitude: 45.1734,
    longitude: 5.7548,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'reservedParking'],
    accessDirections: 'Entrée par le parking, vestiaires accessibles au rez-de-chaussée. Bus 12, arrêt Neruda.',
  },
  // Saint-Denis de La Réunion
  {
    key: 'kaz_ansanm',
    territory: 'reunion',
    organisation: 'gem_kaz_ansanm',
    name: 'La Kaz Ansanm',
    address: '27 rue Juliette-Dodu',
    postcode: '97400',
    commune: 'Saint-Denis',
    latitude: -20.8797,
    longitude: 55.4493,
    facts: ['stepFreeEntrance', 'quietRoom'],
    accessDirections:
      "Case créole avec varangue de plain-pied. Les toilettes ne sont pas adaptées ; des toilettes accessibles se trouvent à la mairie annexe, à 100 m. Arrêt de bus Rue de Paris.",
  },
  {
    key: 'barachois',
    territory: 'reunion',
    organisation: null,
    name: 'Le Barachois, devant les canons',
    address: 'Boulevard Gabriel-Macé',
    postcode: '97400',
    commune: 'Saint-Denis',
    latitude: -20.8732,
    longitude: 55.4477,
    facts: ['stepFreeEntrance'],
    accessDirections:
      "Point de rendez-vous devant l'alignement des canons, côté mer. Promenade plate et ombragée ; toilettes publiques accessibles au kiosque.",
  },
  {
    key: 'gymnase_source',
    territory: 'reunion',
    organisation: 'ville_saint_denis',
    name: 'Gymnase de La Source',
    address: '5 rue des Sources',
    postcode: '97400',
    commune: 'Saint-Denis',
    latitude: -20.8926,
    longitude: 55.4648,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'reservedParking'],
    accessDirections: 'Parking devant le gymnase, deux places réservées. Salle de danse au rez-de-chaussée, sol souple.',
  },
  {
    key: 'cmp_sd',
    territory: 'reunion',
    organisation: 'cmp_saint_denis',
    name: 'CMP de Saint-Denis',
    address: '40 rue de la Compagnie',
    postcode: '97400',
    commune: 'Saint-Denis',
    latitude: -20.8784,
    longitude: 55.4531,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'inductionLoop'],
    accessDirections: "Accueil au rez-de-chaussée. Salle de réunion au premier étage, desservie par un ascenseur.",
  },
  {
    key: 'mediatheque_tamarin',
    territory: 'reunion',
    organisation: 'mediatheque_le_port',
    name: 'Médiathèque Le Tamarin',
    address: '2 rue Evenor-Lucas',
    postcode: '97420',
    commune: 'Le Port',
    latitude: -20.9371,
    longitude: 55.2927,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'reservedParking', 'inductionLoop'],
    accessDirections: "Salle de projection climatisée au rez-de-chaussée, boucle magnétique sur les deux premiers rangs.",
  },
  {
    key: 'salle_beausejour',
    territory: 'reunion',
    organisation: 'lien_ansanm',
    name: 'Salle associative de Beauséjour',
    address: '8 allée des Flamboyants',
    postcode: '97438',
    commune: 'Sainte-Marie',
    latitude: -20.9103,
    longitude: 55.5309,
    facts: ['stepFreeEntrance', 'accessibleToilets', 'quietRoom'],
    accessDirections: 'Salle au rez-de-chaussée, petite pièce calme attenante. Covoiturage organisé depuis Saint-Denis : le demander à l’inscription.',
  },
  {
    key: 'jardin_possession',
    territory: 'reunion',
    organisation: 'lien_ansanm',
    name: 'Jardin partagé de Ravine-à-Marquet',
    address: 'Chemin Ravine-à-Marquet',
    postcode: '97419',
    commune: 'La Possession',
    latitude: -20.9252,
    longitude: 55.3364,
    facts: ['reservedParking'],
    accessDirections:
      "Allées en terre battue. Un accès en fauteuil est possible par le portail côté parking, avec l'aide des bénévoles. Prévoir chapeau et eau.",
  },
];

/** The hand-written programme. The seed adds registrations, history and, on demand, many more. */
export const DEMO_EVENTS: DemoEvent[] = [
  // ——— CLSM Grenoble-Alpes ———
  {
    territory: 'grenoble',
    organisation: 'ville_echirolles',
    venue: 'salle_echirolles',
    day: 0,
    start: '18:00',
    minutes: 120,
    category: 'conference',
    audience: 'tout_public',
    title: "Soirée d'ouverture : réparer le lien social, ensemble",
    translations: { en: { title: 'Opening evening: mending social ties, together', summary: 'The opening round table of the Weeks, with residents, peer supporters and local professionals.' } },
    summary: 'Table ronde d’ouverture des Semaines avec des habitant·es, des pair-aidant·es et des professionnel·les du territoire.',
    description:
      "Pour lancer les Semaines d'information sur la santé mentale, le CLSM Grenoble-Alpes réunit des habitant·es, des membres de GEM, une psychiatre et des élu·es autour d'une question simple : comment recréer du lien quand on se sent seul·e ? La soirée alterne témoignages, échanges avec la salle et présentation du programme des deux semaines. Un verre de l'amitié sans alcool clôt la soirée.",
    easyRead:
      "Une soirée pour commencer les Semaines de la santé mentale. Des personnes racontent leur vie et parlent de la solitude. Vous pouvez poser des questions. C'est gratuit.",
    capacity: 60,
    access: ['lsf', 'captioning', 'induction_loop', 'wheelchair'],
    fill: 0.55,
    needs: [
      { category: 'lsf', status: 'planned', response: 'Interprète LSF réservé : placez-vous au premier rang, côté gauche de la scène.' },
      { category: 'wheelchair', detail: 'Fauteuil électrique', status: 'planned', response: 'Un emplacement vous est réservé au premier rang, accès par la porte principale.' },
      { category: 'quiet_space', status: 'requested' },
    ],
  },
  {
    territory: 'grenoble',
    organisation: 'club_sport_sante',
    venue: 'parc_mistral',
    day: 1,
    start: '09:30',
    minutes: 90,
    category: 'sport',
    audience: 'adultes',
    title: 'Marche nordique douce au parc Paul-Mistral',
    translations: { en: { title: 'Gentle Nordic walking in Paul-Mistral park', summary: 'An hour and a half of walking with poles at an easy pace, led by a sports instructor. Poles provided.' } },
    summary: 'Une heure et demie de marche avec bâtons, à allure tranquille, encadrée par une éducatrice sportive. Bâtons prêtés.',
    description:
      "Le club vous prête les bâtons et vous montre les gestes de base. Le parcours est plat et fait environ 4 km, avec des pauses régulières. Aucune condition physique particulière n'est demandée : on marche au rythme de la personne la plus lente. Prévoyez des chaussures confortables et une bouteille d'eau.",
    easyRead: 'On marche ensemble dans le parc avec des bâtons. On va doucement. On vous prête les bâtons.',
    capacity: 15,
    access: ['companion'],
    fill: 'full',
  },
  {
    territory: 'grenoble',
    organisation: 'club_sport_sante',
    venue: 'gymnase_smh',
    day: 3,
    start: '18:30',
    minutes: 90,
    category: 'sport',
    audience: 'jeunes',
    title: 'Basket fauteuil et sport partagé : venez essayer !',
    translations: { en: { title: "Wheelchair basketball for everyone: come and try!", summary: "A wheelchair basketball taster open to all, disabled or not, with the club’s disability sports team." } },
    summary: "Initiation au basket fauteuil ouverte à toutes et tous, valides ou non, avec l'équipe handisport du club.",
    description:
      "Tout le monde joue assis dans un fauteuil de sport prêté par le club : le meilleur moyen de se retrouver à égalité. Après l'échauffement, matchs courts en équipes mélangées puis goûter au bord du terrain. Une salle calme reste ouverte pendant toute la séance pour qui a besoin de souffler.",
    capacity: 24,
    access: ['wheelchair', 'quiet_space'],
    fill: 0.5,
  },
  {
    territory: 'grenoble',
    organisation: 'club_sport_sante',
    venue: 'gymnase_smh',
    day: 9,
    start: '12:15',
    minutes: 45,
    category: 'sport',
    audience: 'adultes',
    title: 'Yoga sur chaise à la pause déjeuner',
    summary: 'Quarante-cinq minutes de postures simples, assis·e sur une chaise, pour relâcher les tensions.',
    description: 'Séance proposée aux salarié·es et habitant·es du quartier.',
    capacity: 20,
    access: [],
    state: 'changes_requested',
    message:
      "Merci de préciser qui encadre la séance et de compléter la description (niveau, tenue, matériel). Pouvez-vous aussi indiquer si la salle est accessible en fauteuil ?",
  },
  {
    territory: 'grenoble',
    organisation: 'jardins_abbaye',
    venue: 'jardin_abbaye',
    day: 2,
    start: '14:00',
    minutes: 150,
    category: 'jardin_partage',
    audience: 'familles',
    title: "Après-midi au jardin partagé de l'Abbaye : semis d'automne",
    summary: 'Semer les fèves, planter l’ail et partager un goûter avec les jardinier·es du quartier.',
    description:
      "Les jardinier·es de l'Abbaye ouvrent leurs parcelles pour un après-midi de semis d'automne. Pas besoin de savoir jardiner : chacun·e participe à son rythme, les enfants sont les bienvenus accompagnés d'un adulte. Les outils et les gants sont fournis. Un coin calme est aménagé sous la tonnelle.",
    easyRead: "Venez au jardin pour planter des graines. On vous prête les outils. Il y a un goûter. Les enfants peuvent venir avec un adulte.",
    capacity: 20,
    access: ['companion', 'quiet_space'],
    fill: 0.4,
  },
  {
    territory: 'grenoble',
    organisation: 'jardins_abbaye',
    venue: 'jardin_abbaye',
    day: 12,
    start: '10:00',
    minutes: 120,
    category: 'jardin_partage',
    audience: 'tout_public',
    title: 'Troc de graines et de boutures',
    summary: 'Apportez vos graines, vos boutures ou simplement votre curiosité : on échange, on discute, on repart avec des plants.',
    description:
      "Le troc est ouvert à toutes et tous, même les mains vides. Les jardinier·es présentent les variétés cultivées au jardin et donnent des conseils pour les balcons. Entrée libre, sans inscription, pendant toute la matinée.",
    capacity: null,
    access: [],
  },
  {
    territory: 'grenoble',
    organisation: 'mediatheque_meylan',
    venue: 'mediatheque_bealieres',
    day: 1,
    start: '14:30',
    minutes: 120,
    category: 'atelier_culturel',
    audience: 'adultes',
    title: "Atelier d'écriture : lettres à quelqu'un qu'on a perdu de vue",
    summary: 'Écrire une lettre, l’envoyer ou non : un atelier doux animé par une autrice, sans obligation de lire à voix haute.',
    description:
      "Animé par une autrice grenobloise, cet atelier propose d'écrire à une personne, un lieu ou une part de soi avec qui le lien s'est distendu. Des consignes courtes, des temps d'écriture en silence, un partage pour celles et ceux qui le souhaitent. Les consignes existent aussi en version facile à lire. Papier, enveloppes et timbres offerts.",
    easyRead: "Un atelier pour écrire une lettre. Vous écrivez à quelqu'un que vous ne voyez plus. Vous n'êtes pas obligé de lire votre lettre aux autres.",
    capacity: 12,
    access: ['falc', 'induction_loop', 'wheelchair'],
    fill: 'full',
    needs: [{ category: 'falc', status: 'planned', response: 'Les consignes en FALC vous seront remises à votre arrivée.' }],
  },
  {
    territory: 'grenoble',
    organisation: 'gem_entre_deux',
    venue: 'maison_habitants',
    day: 4,
    start: '14:00',
    minutes: 150,
    category: 'atelier_culturel',
    audience: 'tout_public',
    title: 'Théâtre-forum : « Et si on se parlait ? »',
    translations: { en: { title: 'Forum theatre: “What if we talked?”', summary: 'Short scenes from everyday life that the audience can stop and replay, to find other ways of reaching out.' } },
    summary: 'Des scènes courtes jouées par la troupe du GEM, puis le public monte sur scène pour changer la fin.',
    description:
      "La troupe du GEM L'Entre-Deux joue de courtes scènes de la vie quotidienne : un rendez-vous à la mairie, un repas de famille, une file d'attente. Chaque scène montre un moment où le lien se rompt. Ensuite, le public propose d'autres façons de faire et peut venir les essayer sur scène. Supports en pictogrammes et en FALC, espace calme à côté de la salle.",
    easyRead:
      "Des personnes jouent des petites scènes de théâtre. Ensuite, vous pouvez dire comment changer l'histoire. Vous pouvez aussi monter sur scène si vous voulez.",
    capacity: 16,
    access: ['caa', 'falc', 'quiet_space', 'companion'],
    fill: 'waitlist',
    needs: [{ category: 'caa', detail: 'Classeur de pictogrammes personnel, besoin de temps pour répondre', status: 'requested' }],
  },
  {
    territory: 'grenoble',
    organisation: 'mediatheque_meylan',
    venue: 'mediatheque_bealieres',
    day: 10,
    start: '17:00',
    minutes: 90,
    category: 'atelier_culturel',
    audience: 'jeunes',
    title: 'Atelier BD : dessiner ses émotions',
    summary: 'Avec une illustratrice, inventer un personnage et raconter en quatre cases une journée pas comme les autres.',
    description:
      "Pour les 12-18 ans. L'illustratrice montre quelques techniques simples (expressions, bulles, cadrage) puis chacun·e crée sa planche. Aucun niveau en dessin n'est demandé. Les planches pourront être exposées à la médiathèque après les Semaines, avec l'accord de leurs auteur·ices.",
    capacity: 15,
    access: ['falc'],
    state: 'submitted',
  },
  {
    territory: 'grenoble',
    organisation: 'autre_rive',
    venue: 'maison_habitants',
    day: 8,
    start: '10:00',
    minutes: 120,
    category: 'atelier_culturel',
    audience: 'seniors',
    title: 'Atelier chant : les chansons qui nous relient',
    summary: 'Chanter ensemble des chansons que tout le monde connaît, avec une cheffe de chœur bienveillante. Aucune expérience nécessaire.',
    description:
      "Chanter en groupe fait du bien et ne demande aucun talent particulier. La cheffe de chœur propose des chansons françaises connues de plusieurs générations ; les paroles sont distribuées en gros caractères. L'atelier se termine par un café.",
    capacity: 14,
    access: ['wheelchair', 'induction_loop'],
    fill: 0.7,
  },
  {
    territory: 'grenoble',
    organisation: 'autre_rive',
    venue: 'cinema_fontaine',
    day: 2,
    start: '20:00',
    minutes: 150,
    category: 'cine_debat',
    audience: 'adultes',
    title: 'Ciné-débat : « Les Jours d’après »',
    summary: 'Projection d’un film sur une famille qui traverse le deuil, suivie d’un échange avec une psychologue et L’Autre Rive.',
    description:
      "Après le décès de leur fils, Anne et Karim apprennent à vivre avec l'absence, chacun·e à sa manière. Le film montre avec pudeur ce que le silence coûte et ce que la parole permet. La projection, sous-titrée pour les personnes sourdes et malentendantes, est suivie d'un débat animé par une psychologue du CMP et des bénévoles de L'Autre Rive.",
    contentNote: 'Le film aborde le suicide et le deuil. Des professionnel·les du CMP restent disponibles après la séance.',
    capacity: 60,
    access: ['captioning', 'induction_loop', 'wheelchair'],
    fill: 0.6,
    needs: [{ category: 'quiet_space', detail: 'Pouvoir sortir de la salle pendant le film', status: 'planned', response: 'Le hall reste ouvert et calme ; une bénévole y sera présente.' }],
  },
  {
    territory: 'grenoble',
    organisation: 'mediatheque_meylan',
    venue: 'mediatheque_bealieres',
    day: 9,
    start: '18:30',
    minutes: 150,
    category: 'cine_debat',
    audience: 'jeunes',
    title: 'Ciné-débat jeunes : « Hors ligne »',
    summary: 'Un court-métrage sur le harcèlement en ligne au lycée, puis une discussion avec la Maison des adolescent·es.',
    description:
      "Ce court-métrage de 40 minutes suit Inès, 16 ans, dont la vie bascule après la diffusion d'une photo. Le débat qui suit, animé par une éducatrice et un psychologue de la Maison des adolescent·es, donne des repères concrets : à qui parler, comment aider un·e ami·e, quels numéros appeler (dont le 3114, numéro national de prévention du suicide).",
    contentNote: 'Le film évoque le harcèlement scolaire et des idées suicidaires.',
    capacity: 40,
    access: ['captioning', 'wheelchair'],
    fill: 0.45,
  },
  {
    territory: 'grenoble',
    organisation: 'cmp_grenoble_est',
    venue: 'cmp_smh',
    day: 3,
    start: '18:00',
    minutes: 120,
    category: 'conference',
    audience: 'tout_public',
    title: 'Conférence : solitude et santé mentale, ce que l’on sait',
    summary: 'Une psychiatre et un sociologue présentent ce que la recherche dit du lien entre isolement et santé mentale, et ce qui aide vraiment.',
    description:
      "L'isolement social augmente le risque de dépression, et la dépression isole à son tour. Comment sortir de ce cercle ? Une psychiatre du CMP et un sociologue de l'université croisent leurs regards à partir d'études récentes et d'expériences de terrain (pair-aidance, GEM, prescription sociale). Conférence interprétée en LSF, également diffusée en visioconférence.",
    onlineUrl: 'https://visio.rassembler.example/solitude-et-sante-mentale',
    capacity: 50,
    access: ['lsf', 'induction_loop', 'wheelchair'],
    fill: 0.5,
    needs: [
      { category: 'lsf', status: 'planned', response: 'Interprète LSF réservé pour toute la durée de la conférence.' },
      { category: 'captioning', status: 'not_possible', response: "Nous n'avons pas trouvé de vélotypiste disponible ce soir-là ; le support de présentation vous sera envoyé avant la conférence." },
    ],
  },
  {
    territory: 'grenoble',
    organisation: 'autre_rive',
    venue: 'maison_habitants',
    day: 10,
    start: '18:30',
    minutes: 90,
    category: 'conference',
    audience: 'familles',
    title: 'Proches aidant·es : prendre soin de soi quand on accompagne',
    summary: 'Rencontre avec des proches de personnes vivant avec un trouble psychique et des bénévoles de L’Autre Rive.',
    description:
      "Accompagner un enfant, un parent ou un·e conjoint·e qui vit avec un trouble psychique peut épuiser. Cette rencontre présente les aides existantes (groupes de parole, formations pour les proches, solutions de répit), puis laisse une large place aux questions. Proches et professionnel·les sont bienvenu·es.",
    capacity: 30,
    access: ['wheelchair'],
    fill: 0.35,
  },
  {
    territory: 'grenoble',
    organisation: 'ville_echirolles',
    venue: 'salle_echirolles',
    day: 11,
    start: '09:30',
    minutes: 180,
    category: 'conference',
    audience: 'professionnels',
    title: 'Matinée professionnelle : premiers secours en santé mentale',
    summary: 'Présentation de la formation aux premiers secours en santé mentale et retours d’expérience d’agent·es formé·es.',
    description:
      "Destinée aux professionnel·les de l'accueil, du social, de l'éducation et de l'animation, cette matinée présente la formation aux premiers secours en santé mentale : repérer, aborder, orienter. Des agent·es de la ville formé·es l'an dernier racontent ce qui a changé dans leur pratique. Attestation de présence remise sur demande.",
    capacity: 60,
    access: ['lsf', 'captioning'],
    fill: 0.6,
  },
  {
    territory: 'grenoble',
    organisation: 'mediatheque_meylan',
    venue: 'mediatheque_bealieres',
    day: 0,
    start: '10:00',
    minutes: 11 * 24 * 60 + 8 * 60,
    category: 'exposition',
    audience: 'tout_public',
    title: 'Exposition « Visages du lien »',
    summary: 'Trente portraits photographiques d’habitant·es de Meylan et de ce qui les relie : un voisin, une amie, un chien, un club.',
    description:
      "Pendant un an, un photographe a rencontré des habitant·es de Meylan et leur a demandé : « Qui ou qu'est-ce qui vous relie aux autres ? ». Chaque portrait est accompagné d'un court texte, lu à voix haute par son auteur·ice et accessible par un QR code. Entrée libre aux heures d'ouverture de la médiathèque.",
    capacity: null,
    access: ['wheelchair', 'induction_loop'],
  },
  {
    territory: 'grenoble',
    organisation: 'gem_entre_deux',
    venue: 'gem_local',
    day: 4,
    start: '16:00',
    minutes: 180,
    category: 'exposition',
    audience: 'tout_public',
    title: 'Vernissage de l’exposition des artistes du GEM',
    summary: 'Peintures, collages et céramiques réalisés cette année par les adhérent·es du GEM L’Entre-Deux.',
    description:
      "Les artistes sont présent·es pour parler de leurs œuvres autour d'un buffet préparé par l'atelier cuisine. L'exposition reste visible ensuite aux heures d'ouverture du GEM. Deux marches à l'entrée : une rampe amovible est installée sur demande.",
    capacity: null,
    access: ['quiet_space'],
  },
  {
    territory: 'grenoble',
    organisation: 'gem_entre_deux',
    venue: 'gem_local',
    day: 7,
    start: '14:00',
    minutes: 240,
    category: 'portes_ouvertes',
    audience: 'tout_public',
    title: "Portes ouvertes du GEM L'Entre-Deux",
    summary: 'Découvrir un groupe d’entraide mutuelle : un lieu géré par et pour des personnes vivant avec des troubles psychiques.',
    description:
      "Un GEM n'est ni un lieu de soin ni un accueil de jour : c'est une association d'entraide où l'on vient quand on veut, pour un café, une activité, ou simplement pour ne pas être seul·e. Les adhérent·es vous font visiter, présentent le programme de la semaine et répondent à vos questions. Venez seul·e ou accompagné·e.",
    easyRead: 'Le GEM est un lieu pour se retrouver et faire des activités ensemble. Venez visiter. Vous pouvez venir quand vous voulez entre 14 h et 18 h.',
    capacity: null,
    access: ['companion', 'quiet_space', 'caa'],
  },
  {
    territory: 'grenoble',
    organisation: 'cmp_grenoble_est',
    venue: 'cmp_smh',
    day: 8,
    start: '10:00',
    minutes: 360,
    category: 'portes_ouvertes',
    audience: 'tout_public',
    title: 'Portes ouvertes du CMP : qui fait quoi en psychiatrie ?',
    summary: 'Rencontrer l’équipe du centre médico-psychologique et comprendre comment on y est accueilli·e.',
    description:
      "Infirmier·es, psychologues, psychiatres et assistante sociale présentent leur métier et le parcours d'une première demande. Un livret en FALC explique comment prendre rendez-vous et ce qui est gratuit. Passage libre toute la journée, visites guidées à 10 h 30, 14 h et 15 h 30.",
    easyRead: "Le CMP est un lieu où des soignants aident les personnes qui vont mal dans leur tête. Venez rencontrer l'équipe. C'est gratuit. Vous n'avez pas besoin de rendez-vous.",
    capacity: null,
    access: ['wheelchair', 'induction_loop', 'falc'],
  },
  {
    territory: 'grenoble',
    organisation: 'autre_rive',
    venue: 'maison_habitants',
    day: 1,
    start: '18:30',
    minutes: 120,
    category: 'groupe_de_parole',
    audience: 'adultes',
    title: 'Groupe de parole : vivre à côté d’un proche qui va mal',
    summary: 'Un temps d’échange confidentiel entre proches, animé par une psychologue et une bénévole de L’Autre Rive.',
    description:
      "Parents, conjoint·es, frères et sœurs, ami·es : ce groupe est un espace pour déposer ce qui pèse, sans jugement. Ce qui se dit dans le groupe reste dans le groupe. Le nombre de places est volontairement limité pour que chacun·e puisse prendre la parole.",
    capacity: 12,
    access: ['quiet_space'],
    fill: 0.8,
  },
  {
    territory: 'grenoble',
    organisation: 'gem_entre_deux',
    venue: 'gem_local',
    day: 10,
    start: '15:00',
    minutes: 90,
    category: 'groupe_de_parole',
    audience: 'adultes',
    title: 'Café-rencontre entre pairs : la solitude, parlons-en',
    summary: 'Des pair-aidant·es du GEM animent un échange autour d’un café sur la solitude et les moyens d’en sortir.',
    description:
      "Pas de spécialiste ici : ce sont des personnes concernées qui animent, à partir de leur propre expérience. Chacun·e parle s'il ou elle le souhaite ; on peut aussi juste écouter. Supports en pictogrammes disponibles.",
    capacity: 12,
    access: ['caa', 'quiet_space', 'companion'],
    fill: 0.5,
    needs: [{ category: 'companion', status: 'planned', response: 'Votre accompagnante est la bienvenue, sa place est comptée avec la vôtre.' }],
  },
  {
    territory: 'grenoble',
    organisation: 'ville_echirolles',
    venue: 'salle_echirolles',
    day: 5,
    start: '10:00',
    minutes: 120,
    category: 'balade',
    audience: 'familles',
    title: 'Balade urbaine : les fresques du Village 2',
    summary: 'Une promenade commentée à la découverte du street art du quartier, par des habitant·es qui y vivent.',
    description:
      "Le parcours de 2,5 km est plat et entièrement accessible en fauteuil roulant, avec deux pauses sur des bancs. Les guides, habitant·es bénévoles, racontent l'histoire des fresques et des artistes qui les ont peintes avec les enfants du quartier. Départ et arrivée devant la salle polyvalente.",
    capacity: 25,
    access: ['wheelchair', 'companion'],
    fill: 0.6,
  },
  {
    territory: 'grenoble',
    organisation: 'club_sport_sante',
    venue: 'parc_mistral',
    day: 6,
    start: '09:00',
    minutes: 240,
    category: 'balade',
    audience: 'adultes',
    title: 'Randonnée vers la Bastille',
    summary: 'Montée à pied jusqu’au fort de la Bastille par les sentiers, pique-nique partagé en haut.',
    description:
      "Dénivelé de 260 m, environ quatre heures aller-retour avec les pauses. Prévoir de bonnes chaussures, de l'eau et son pique-nique. Retour possible en téléphérique (à vos frais).",
    capacity: 20,
    access: [],
    state: 'cancelled',
    message:
      "La randonnée est annulée : de fortes pluies sont annoncées et le sentier risque d'être glissant. Elle sera reprogrammée au printemps.",
  },
  {
    territory: 'grenoble',
    organisation: 'ville_echirolles',
    venue: 'salle_echirolles',
    day: 12,
    start: '12:00',
    minutes: 120,
    category: 'autre',
    audience: 'familles',
    title: 'Repas partagé de clôture',
    summary: 'Chacun·e apporte un plat à partager pour clore les Semaines en beauté.',
    description: 'Brouillon : reste à confirmer la salle et l’animation musicale.',
    capacity: 50,
    access: [],
    state: 'draft',
  },
  {
    territory: 'grenoble',
    organisation: 'mediatheque_meylan',
    venue: 'mediatheque_bealieres',
    day: 5,
    start: '10:30',
    minutes: 90,
    category: 'autre',
    audience: 'familles',
    title: 'Bibliothèque vivante : empruntez une personne !',
    summary: 'Le temps d’une conversation de vingt minutes, « empruntez » une pair-aidante, un infirmier, une personne qui vit avec un trouble psychique…',
    description:
      "Le principe de la bibliothèque vivante : des « livres » humains racontent leur histoire et répondent aux questions des lecteur·ices, en tête-à-tête et avec bienveillance. Un moyen simple de défaire les préjugés. Les livres ont choisi leur titre ; le catalogue est disponible à l'accueil.",
    capacity: 20,
    access: ['falc', 'caa', 'wheelchair'],
    fill: 0.4,
  },
  {
    territory: 'grenoble',
    organisation: 'gem_entre_deux',
    venue: 'maison_habitants',
    day: 11,
    start: '19:00',
    minutes: 180,
    category: 'autre',
    audience: 'tout_public',
    title: 'Soirée jeux de société et crêpes',
    summary: 'Jeux coopératifs, jeux d’ambiance et crêpes maison : une soirée conviviale préparée par le GEM et la maison des habitant·es.',
    description:
      "Débutant·es bienvenu·es : des animateur·ices expliquent les règles et composent les tables. Jeux calmes dans une salle à part pour qui préfère moins de bruit. Participation libre pour les crêpes.",
    capacity: 60,
    access: ['wheelchair', 'quiet_space', 'companion'],
    fill: 0.3,
  },

  // ——— CLSM Saint-Denis de La Réunion ———
  {
    territory: 'reunion',
    organisation: 'ville_saint_denis',
    venue: 'gymnase_source',
    day: 2,
    start: '17:00',
    minutes: 90,
    category: 'sport',
    audience: 'jeunes',
    title: 'Moringue : initiation pour toutes et tous',
    summary: 'Découvrir le moringue, art martial et danse réunionnais, au son du roulèr, avec les éducateurs sportifs de la ville.',
    description:
      "Le moringue se pratique en cercle, au rythme des percussions : on y joue plus qu'on ne s'affronte. L'initiation est adaptée à tous les niveaux et à toutes les mobilités ; les personnes en fauteuil participent au cercle de percussions et aux mouvements du haut du corps. Tenue souple, pieds nus ou en chaussettes.",
    capacity: 20,
    access: ['wheelchair', 'quiet_space'],
    fill: 0.55,
  },
  {
    territory: 'reunion',
    organisation: 'lien_ansanm',
    venue: 'jardin_possession',
    day: 3,
    start: '08:30',
    minutes: 150,
    category: 'jardin_partage',
    audience: 'seniors',
    title: 'Matinée au jardin : plantes lontan et tisanes',
    summary: 'Cueillir et reconnaître les plantes médicinales lontan, puis préparer ensemble une tisane à partager.',
    description:
      "Une tisaneuse du quartier fait découvrir les plantes cultivées au jardin (citronnelle, ayapana, romarin…) et raconte leurs usages d'autrefois. On repart avec un petit sachet de feuilles séchées. Rendez-vous tôt pour profiter de la fraîcheur.",
    easyRead: 'On va au jardin le matin. On apprend le nom des plantes. On fait une tisane ensemble.',
    capacity: 12,
    access: ['companion'],
    fill: 'full',
  },
  {
    territory: 'reunion',
    organisation: 'lien_ansanm',
    venue: 'jardin_possession',
    day: 12,
    start: '09:00',
    minutes: 180,
    category: 'jardin_partage',
    audience: 'familles',
    title: 'Chantier participatif : une spirale d’aromatiques',
    summary: 'Construire en famille une spirale en pierres sèches pour les herbes aromatiques du jardin.',
    description:
      "Petits et grands mettent la main à la pâte : transport des galets, montage de la spirale, plantation du thym, du basilic et du piment. Les tâches sont adaptées à chacun·e, y compris assis·e. Un pique-nique partagé clôt la matinée.",
    capacity: 25,
    access: ['companion', 'wheelchair'],
    fill: 0.4,
  },
  {
    territory: 'reunion',
    organisation: 'gem_kaz_ansanm',
    venue: 'kaz_ansanm',
    day: 1,
    start: '14:00',
    minutes: 120,
    category: 'atelier_culturel',
    audience: 'adultes',
    title: 'Atelier maloya : chanter et jouer ensemble',
    summary: 'Découvrir le maloya avec les musicien·nes du GEM : kayamb, roulèr et chant, ouvert à toutes et tous.',
    description:
      "Le maloya est né des chants des esclaves et des engagés ; il est aujourd'hui inscrit au patrimoine culturel immatériel de l'humanité. Pas besoin de savoir jouer : on apprend un refrain, on tient le rythme au kayamb, on chante ensemble. Supports en pictogrammes et en FALC, coin calme dans la kaz.",
    easyRead: "Un atelier de musique de La Réunion. On chante et on joue des instruments. Vous n'avez pas besoin de savoir jouer.",
    capacity: 14,
    access: ['caa', 'falc', 'quiet_space'],
    fill: 0.7,
    needs: [{ category: 'falc', status: 'planned', response: "Le déroulé de l'atelier vous sera remis en FALC à votre arrivée." }],
  },
  {
    territory: 'reunion',
    organisation: 'mediatheque_le_port',
    venue: 'mediatheque_tamarin',
    day: 4,
    start: '18:30',
    minutes: 150,
    category: 'cine_debat',
    audience: 'adultes',
    title: 'Ciné-débat : « La Ravine »',
    summary: 'Un documentaire réunionnais sur le rétablissement, en présence du réalisateur et d’une pair-aidante.',
    description:
      "Pendant deux ans, le réalisateur a suivi Josué, 34 ans, de sa sortie d'hospitalisation à son retour au travail, en passant par le GEM de son quartier. Un film sur le temps long du rétablissement et sur celles et ceux qui aident à tenir. Projection sous-titrée, suivie d'un échange avec le réalisateur, une pair-aidante et un infirmier du CMP.",
    contentNote: "Le film évoque une tentative de suicide et une hospitalisation sans consentement.",
    capacity: 45,
    access: ['captioning', 'induction_loop', 'wheelchair'],
    fill: 0.5,
    needs: [
      {
        category: 'audio_description',
        status: 'not_possible',
        response: "Il n'existe pas de version audiodécrite de ce film ; une bénévole peut vous décrire les scènes à voix basse si vous le souhaitez.",
      },
    ],
  },
  {
    territory: 'reunion',
    organisation: 'lien_ansanm',
    venue: 'salle_beausejour',
    day: 9,
    start: '14:00',
    minutes: 120,
    category: 'cine_debat',
    audience: 'familles',
    title: 'Ciné-goûter : « Le Cyclone intérieur »',
    summary: 'Un film d’animation pour parler des émotions avec les 8-12 ans, suivi d’une discussion et d’un goûter.',
    description:
      "Léo, 10 ans, sent parfois une tempête monter en lui. Ce film d'animation de 50 minutes, plein d'humour, aide les enfants à mettre des mots sur la colère, la peur et la tristesse. Après la projection, une psychologue anime une discussion adaptée aux enfants, puis goûter pour tout le monde.",
    capacity: 30,
    access: ['captioning', 'caa'],
    fill: 0.3,
  },
  {
    territory: 'reunion',
    organisation: 'cmp_saint_denis',
    venue: 'cmp_sd',
    day: 10,
    start: '18:00',
    minutes: 120,
    category: 'conference',
    audience: 'tout_public',
    title: 'Conférence : santé mentale et insularité',
    summary: 'Éloignement, départs, familles dispersées : ce que la vie sur une île change à la santé mentale, et les ressources du territoire.',
    description:
      "Un psychiatre du pôle de santé mentale Nord et une anthropologue échangent sur les spécificités réunionnaises : place de la famille élargie, recours aux tisaneurs et aux religions, départs vers l'Hexagone. La conférence sera interprétée en LSF.",
    capacity: 50,
    access: ['lsf', 'wheelchair'],
    state: 'submitted',
  },
  {
    territory: 'reunion',
    organisation: 'ville_saint_denis',
    venue: 'barachois',
    day: 0,
    start: '09:00',
    minutes: 13 * 24 * 60 + 9 * 60,
    category: 'exposition',
    audience: 'tout_public',
    title: 'Exposition en plein air : « Nout lien, nout fors »',
    summary: 'Vingt panneaux photographiques le long du Barachois sur celles et ceux qui font vivre l’entraide à Saint-Denis.',
    description:
      "Voisin·es solidaires, bénévoles de maraudes, membres de GEM, aides à domicile : la photographe a suivi pendant six mois celles et ceux qui tissent le lien social dans les quartiers de Saint-Denis. Exposition en accès libre, de jour comme de nuit, le long de la promenade. Panneaux à hauteur de fauteuil, textes en gros caractères.",
    capacity: null,
    access: ['wheelchair'],
  },
  {
    territory: 'reunion',
    organisation: 'mediatheque_le_port',
    venue: 'mediatheque_tamarin',
    day: 5,
    start: '10:00',
    minutes: 360,
    category: 'exposition',
    audience: 'tout_public',
    title: 'Exposition « Dans ma tête » et lectures',
    summary: 'Les carnets illustrés d’un atelier d’art-thérapie, exposés pour une journée, avec des lectures à 11 h et 15 h.',
    description:
      "Pendant l'année, les participant·es d'un atelier d'art-thérapie ont tenu des carnets mêlant collages, dessins et mots. Ils et elles ont choisi les pages à montrer. Des lectures à voix haute sont proposées à 11 h et à 15 h par les auteur·ices qui le souhaitent. Cartels en FALC.",
    capacity: null,
    access: ['falc', 'wheelchair', 'induction_loop'],
  },
  {
    territory: 'reunion',
    organisation: 'gem_kaz_ansanm',
    venue: 'kaz_ansanm',
    day: 7,
    start: '09:00',
    minutes: 420,
    category: 'portes_ouvertes',
    audience: 'tout_public',
    title: 'Portes ouvertes de la Kaz Ansanm',
    summary: 'Venez découvrir le GEM de Saint-Denis autour d’un café, et d’un carri partagé à midi.',
    description:
      "La Kaz Ansanm est un groupe d'entraide mutuelle : une association gérée par ses adhérent·es, des personnes qui ont traversé des troubles psychiques et qui s'entraident. Toute la journée, les adhérent·es présentent leurs activités (musique, jardin, sorties, informatique) ; à midi, carri partagé, participation libre.",
    easyRead: 'La Kaz Ansanm est un lieu pour se retrouver. Venez visiter. À midi, on mange ensemble.',
    capacity: null,
    access: ['caa', 'falc', 'companion', 'quiet_space'],
  },
  {
    territory: 'reunion',
    organisation: 'cmp_saint_denis',
    venue: 'cmp_sd',
    day: 8,
    start: '09:00',
    minutes: 360,
    category: 'portes_ouvertes',
    audience: 'tout_public',
    title: 'Journée portes ouvertes du CMP de Saint-Denis',
    summary: 'Rencontrer les soignant·es, visiter les lieux et savoir à qui s’adresser en cas de besoin, pour soi ou pour un proche.',
    description:
      "L'équipe présente l'accueil sans rendez-vous, les consultations, l'hôpital de jour et les visites à domicile. Une interprète LSF est présente de 9 h à 12 h. Des brochures en FALC expliquent les démarches.",
    capacity: null,
    access: ['wheelchair', 'lsf', 'falc'],
  },
  {
    territory: 'reunion',
    organisation: 'lien_ansanm',
    venue: 'salle_beausejour',
    day: 3,
    start: '18:00',
    minutes: 120,
    category: 'groupe_de_parole',
    audience: 'adultes',
    title: 'Groupe de parole des proches aidant·es',
    summary: 'Un moment confidentiel pour les proches de personnes vivant avec un trouble psychique, animé par une psychologue.',
    description:
      "Mère, père, enfant, conjoint·e, voisin·e : s'occuper d'un proche qui souffre peut isoler. Le groupe permet de partager ses questions et ses solutions, en toute confidentialité. On peut venir une fois ou tous les mois.",
    capacity: 12,
    access: ['quiet_space', 'companion'],
    fill: 0.75,
    needs: [{ category: 'quiet_space', status: 'planned', response: 'La petite salle attenante restera ouverte et calme pendant tout le groupe.' }],
  },
  {
    territory: 'reunion',
    organisation: 'gem_kaz_ansanm',
    venue: 'kaz_ansanm',
    day: 11,
    start: '10:00',
    minutes: 90,
    category: 'groupe_de_parole',
    audience: 'jeunes',
    title: 'Parlons-en entre jeunes : le moral, les réseaux, la pression',
    summary: 'Un groupe d’échange pour les 16-25 ans, animé par deux jeunes pair-aidant·es et une infirmière.',
    description:
      "On y parle de ce qui pèse : les études ou le travail, les réseaux sociaux, la famille, l'envie de partir en métropole. Pas de discours, des échanges entre personnes du même âge, et des contacts utiles pour après.",
    capacity: 15,
    access: ['caa', 'quiet_space'],
    fill: 0.4,
  },
  {
    territory: 'reunion',
    organisation: 'ville_saint_denis',
    venue: 'barachois',
    day: 5,
    start: '08:00',
    minutes: 150,
    category: 'balade',
    audience: 'tout_public',
    title: "Balade patrimoine : du Barachois au Jardin de l'État",
    summary: 'Une promenade commentée de 3 km dans le centre historique de Saint-Denis, à la fraîche.',
    description:
      "Une guide-conférencière de la ville raconte les cases créoles, la rue de Paris et l'histoire des jardins. Rythme tranquille, nombreuses pauses à l'ombre, retour possible en bus. Fin de la balade au Jardin de l'État autour d'un jus de fruits.",
    capacity: 25,
    access: ['companion'],
    fill: 0.5,
  },
  {
    territory: 'reunion',
    organisation: 'lien_ansanm',
    venue: 'salle_beausejour',
    day: 13,
    start: '07:30',
    minutes: 120,
    category: 'balade',
    audience: 'seniors',
    title: 'Marche douce sur le littoral de Sainte-Marie',
    summary: 'Une marche plate le long de la côte, avec des pauses pour observer les oiseaux et les barques de pêche.',
    description:
      "Le parcours suit le sentier littoral, goudronné et sans marche, sur 3 km aller-retour. Un·e bénévole de l'association marche en fin de groupe pour que personne ne soit distancé·e. Départ de la salle de Beauséjour, covoiturage possible depuis Saint-Denis.",
    capacity: 20,
    access: ['wheelchair', 'companion'],
    fill: 0.45,
  },
  {
    territory: 'reunion',
    organisation: 'lien_ansanm',
    venue: 'salle_beausejour',
    day: 6,
    start: '15:00',
    minutes: 120,
    category: 'autre',
    audience: 'adultes',
    title: "Guérir l'anxiété grâce aux compléments naturels",
    summary: 'Présentation d’une gamme de compléments alimentaires « anti-stress » par un distributeur partenaire.',
    description: 'Présentation suivie d’une vente de produits.',
    capacity: 40,
    access: [],
    state: 'refused',
    message:
      "Le programme des SISM ne peut pas accueillir d'événement qui présente des produits à la vente. Nous pouvons en reparler pour un atelier de relaxation, sans vente.",
  },
];

/** Fake registrants, per territory: drawn by the seeded PRNG. */
export const FIRST_NAMES: Record<TerritoryKey, string[]> = {
  grenoble: [
    'Camille', 'Lucas', 'Inès', 'Mehdi', 'Sofia', 'Nathan', 'Aïcha', 'Julien', 'Chloé', 'Karim', 'Manon', 'Thomas',
    'Fatou', 'Hugo', 'Léna', 'Yanis', 'Élise', 'Bernard', 'Monique', 'Jean-Pierre', 'Nadia', 'Samir', 'Amandine',
    'Gaëlle', 'Damien', 'Rose', 'Mireille', 'Sébastien', 'Anh', 'Zoé',
  ],
  reunion: [
    'Jean-Marc', 'Marie-Claire', 'Johan', 'Anaïs', 'Kévin', 'Priscilla', 'Jérémy', 'Mélissa', 'Ludovic', 'Sabrina',
    'Dimitri', 'Laetitia', 'Noémie', 'Rayan', 'Inaya', 'Moïse', 'Fabiola', 'Giovanni', 'Sandrine', 'Thierry',
  ],
};

export const LAST_NAMES: Record<TerritoryKey, string[]> = {
  grenoble: [
    'Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Girard', 'Bonnet', 'Mercier', 'Garcia', 'Benali', 'Nguyen', 'Diallo',
    'Rousseau', 'Faure', 'Blanc', 'Chevalier', 'Perrin', 'Morel', 'Gauthier', 'Roche', 'Lopez', 'Haddad', 'Masson',
  ],
  reunion: [
    'Payet', 'Hoarau', 'Grondin', 'Técher', 'Fontaine', 'Boyer', 'Rivière', 'Maillot', 'Lebon', 'Robert', 'Turpin',
    'Nativel', 'Bègue', 'Hoareau', 'Sautron', 'Latchoumanin', 'Mussard', 'Ah-Hot', 'Valiamé',
  ],
};

/** Structures through which a carer registers someone on their behalf. */
export const HELPER_STRUCTURES: Record<TerritoryKey, string[]> = {
  grenoble: ['SAVS Grenoble-Sud', 'Foyer de vie Les Tilleuls', 'SAMSAH de l’Isère'],
  reunion: ['SAMSAH Nord Réunion', 'Foyer Les Lataniers', 'SAVS de Saint-Denis'],
};

export const EMAIL_DOMAINS = ['courriel.example', 'messagerie.example', 'boite-mail.example'];
