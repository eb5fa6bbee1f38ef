// French interface words left on an English page (/en/…), for the English tests: the list of
// words, each matched as a whole word in any case, and what is taken out of a text before
// looking — what people typed (event titles, venue names, names…), web and e-mail addresses,
// snake_case values (filter values, kinds). One list for every English test, so that a word
// found missing on one page is looked for on all of them.
import type { Database } from '../../server/db/client.ts';
import { accessNeed, appUser, edition, event, eventMessage, organisation, registration, territory, venue } from '../../server/db/schema.ts';

/**
 * Words of today's French interface, none of which an English page, mail or text may hold: the
 * union of what each English test looked for. Matched as whole words, in any case (« Événement »
 * and « événement » alike). Words that are also ordinary British English (« place », « Programme »,
 * « Organisation », « Commune », « mars », « mai ») are not on it; « pour », « agenda » and
 * « journal » are, because no English page of the site uses them and each was looked for.
 */
export const FRENCH_WORDS: readonly string[] = [
  // Function words: they betray any sentence left in French. « mon » is not here: « Mon » is
  // Monday on the charts (the accounts' test, whose pages write days in full, looks for it itself).
  'le', 'la', 'les', 'une', 'des', 'du', 'de', 'et', 'ou', 'à', 'au', 'aux', 'est', 'sont', 'pas',
  'ne', 'vous', 'votre', 'vos', 'nous', 'notre', 'sur', 'dans', 'avec', 'par', 'qui', 'que', 'pour',
  'cette', 'ces', 'il', 'elle', 'si', 'sinon', 'mes', 'oui', 'non', 'Bonjour', 'Merci', 'Quand', 'Où',
  // Navigation and actions: buttons and links.
  'Accueil', 'Aller au contenu', 'Rechercher', 'Recherche', 'Filtrer', 'Filtres', 'Appliquer',
  'Effacer', 'Réinitialiser', 'Envoyer', 'Valider', 'Annuler', 'Retour', 'Précédente', 'Suivante',
  'Page suivante', 'Voir', 'Modifier', 'Supprimer', 'Enregistrer', 'Télécharger', 'Exporter', 'Imprimer',
  'Partager', 'Copier', 'Ajouter', 'Fermer', 'Retirer', 'connecter', 'déconnecter', 'Connexion', 'Gérer',
  'Proposer', 'Dupliquer', 'Demander', 'Publier', 'Refuser', 'Choisissez', 'prévenir', 'traiter',
  // Registering: the public form and the organisers' lists (« inscrit·e » is the inclusive form).
  'Inscription', 'Inscriptions', 'inscrire', "S'inscrire", 'inscrit', 'inscrite', 'inscrits', 'inscrites',
  'inscrit·e', 'inscrivez', 'attente', "liste d'attente", 'liste', 'complet', 'Entrée libre', 'Gratuit', 'gratuite',
  'restantes', 'disponibles', 'places restantes', 'places disponibles', 'places en tout', 'présent',
  'présent·e', 'présence', 'arrivée', 'arrivées', 'émargement', 'personnes', 'Rappel',
  // Access needs and their answers.
  'Accessibilité', 'Besoin', 'Besoins', 'aménagement', 'demandes', 'réponse', 'sans réponse', 'prévu',
  'prévus', 'pas possible', 'date limite', 'Précisions',
  // The events, their forms and their review.
  'événement', 'événements', 'évènement', 'Titre', 'Résumé', 'Brouillon', 'Aperçu', 'Historique',
  'Facultatif', 'obligatoire', 'Heure de', 'Propositions', 'Relecture', 'État', 'Avertissement',
  'Lieu', 'Lieux', 'Nouveau lieu', 'langues', 'Langue', 'Organisé par', 'organisateur', 'organisatrice',
  "l'organisateur", "l'organisation",
  // The site, its people and its reports.
  'Programme de', 'Semaines', "Semaines d'information", 'santé', 'mentale', 'Données', 'personnelles',
  'ouvertes', 'conforme', 'Erreur', 'Aucun', 'Aucune', 'résultat', 'résultats', 'annulé', 'annulée',
  'Adresse', 'Téléphone', 'Courriel', 'Nom', 'prénom', 'coordonnées', 'Territoire', 'Territoires',
  'chiffres', 'bilan', 'édition', 'journal', 'masqué', 'agenda', 'calendrier', 'carte', 'espace',
  // Dates (« mars », « mai » are English words too).
  'jour', 'jours', 'heure', 'heures', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi',
  'dimanche', 'janvier', 'février', 'avril', 'juin', 'juillet', 'août', 'septembre', 'octobre',
  'novembre', 'décembre',
];

/** `word` as a whole word, in any case: no letter, digit or « · » (inclusive forms) on either side. */
export function wholeWord(word: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}·])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}·])`, 'giu');
}

const PATTERNS = FRENCH_WORDS.map((word) => ({ word, pattern: wholeWord(word) }));

/**
 * French proper names an English page rightly keeps (institutions, their postal address, a
 * database's name) and the example of an area's name a hint gives: taken out like typed texts.
 */
export const PROPER_NAMES: readonly string[] = [
  'Défenseur des droits', 'Libre réponse', 'Paris CEDEX 07', 'place de Fontenoy', 'Base adresse nationale', 'CLSM de Grenoble',
];

/** Values a person types or copies as they are (addresses, e-mails, filter values and kinds): not words. */
const NOT_WORDS = [/\b(?:https?|webcal):\/\/\S+/g, /\S+@\S+\.\w+/g, /\b[a-z]+(?:_[a-z]+)+\b/g];

/** Curly apostrophes as straight ones and runs of spaces as one, in a page and in what is typed alike. */
export const normalise = (text: string): string => text.replace(/[’ʼ]/g, "'").replace(/\s+/g, ' ').trim();

/** `text` without what people typed (longest first), the proper names above, addresses, e-mails and snake_case values. */
export function stripTyped(text: string, typed: readonly string[] = []): string {
  const values = [...new Set([...typed, ...PROPER_NAMES].map(normalise).filter((s) => s !== ''))].sort((a, b) => b.length - a.length);
  let rest = normalise(text);
  for (const value of values) rest = rest.split(value).join(' ▪ ');
  for (const pattern of NOT_WORDS) rest = rest.replace(pattern, ' ▪ ');
  return rest;
}

export interface FrenchCheck {
  /** What people typed, taken out first (see typedTexts). */
  typed?: readonly string[];
  /** A file's own extra words, matched as the list's are. */
  words?: readonly string[];
  /** A file's own extra patterns (letters, signs), global: each match is reported as its source. */
  patterns?: readonly RegExp[];
}

/** The French words left in `text` once typed texts are out, each with (up to two) bits of text around it. */
export function frenchInContext(text: string, { typed = [], words = [], patterns = [] }: FrenchCheck = {}): Map<string, string[]> {
  const rest = stripTyped(text, typed);
  const all = [...PATTERNS, ...words.map((word) => ({ word, pattern: wholeWord(word) })), ...patterns.map((p) => ({ word: p.source, pattern: new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`) }))];
  const found = new Map<string, string[]>();
  for (const { word, pattern } of all) {
    for (const match of rest.matchAll(pattern)) {
      const list = found.get(word) ?? [];
      if (list.length < 2) list.push(`…${rest.slice(Math.max(0, match.index - 30), match.index + match[0].length + 30)}…`);
      found.set(word, list);
    }
  }
  return found;
}

/** The French words left in `text` once typed texts are out: [] on an English page. */
export function frenchLeft(text: string, check: FrenchCheck = {}): string[] {
  return [...frenchInContext(text, check).keys()];
}

/**
 * Every text the organisers, coordinators and people typed, read from the database: events (and
 * their translations), venues, organisations, territories and their towns, users, registrations'
 * names and contacts, needs' details and answers, messages, the edition's theme. Without the
 * shortest (under 3 characters: taking them out would cut words in two).
 */
export async function typedTexts(db: Database): Promise<string[]> {
  const texts: Array<string | null | undefined> = [];
  for (const e of await db.select().from(event)) {
    texts.push(e.title, e.summary, e.description, e.easyReadSummary, e.contentNote, e.cancellationReason);
    for (const tr of Object.values(e.translations ?? {})) texts.push(...Object.values(tr as Record<string, string>));
  }
  for (const v of await db.select().from(venue)) texts.push(v.name, v.address, v.commune, v.accessDirections);
  for (const o of await db.select().from(organisation)) texts.push(o.name);
  for (const tr of await db.select().from(territory)) texts.push(tr.name, ...tr.communes);
  for (const ed of await db.select().from(edition)) texts.push(ed.theme);
  for (const u of await db.select().from(appUser)) texts.push(u.name, u.email);
  for (const r of await db.select().from(registration)) texts.push(r.name, r.contactName, r.email, r.contactEmail);
  for (const n of await db.select().from(accessNeed)) texts.push(n.detail, n.response);
  for (const m of await db.select().from(eventMessage)) texts.push(m.subject, m.body);
  return [...new Set(texts.filter((s): s is string => typeof s === 'string').map(normalise).filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
}
