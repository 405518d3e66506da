// The checks every fault drill makes of what the database holds after a fault (issue 18), and their report.
import { expectedAnswers, query, report, sha256 } from './lib.mjs';

// ---------------------------------------------------------------------------------------------------------------
// What the database holds after a fault.

/**
 * Checks, in the database itself, every acknowledged filing (its reference from the receipt page, its token) and
 * what nothing may leave half-written. Returns the figures; `problems` lists each failure in French.
 */
export function checkFilings(db, acknowledged) {
  const rows = query(
    db,
    `SELECT c.id, c.reference, c.draft_id, c.answers, c.stage, c.version, c.terms_indexed, c.term_count,
       d.token_hash, d.submitted_at, d.answers AS draft_answers,
       (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'depose') AS filed_events,
       (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id) AS events,
       (SELECT COUNT(*) FROM follow_up_links l WHERE l.draft_id = c.draft_id AND l.token_hash = d.token_hash) AS own_link,
       (SELECT COUNT(*) FROM outbox o WHERE o.case_id = c.id) AS emails,
       (SELECT COUNT(*) FROM similarity_documents t WHERE t.kind = 'cas' AND t.doc_id = c.id AND t.words <> '') AS terms
     FROM cases c LEFT JOIN drafts d ON d.id = c.draft_id`,
  );
  const byReference = new Map(rows.map((r) => [r.reference, r]));
  const problems = [];
  const figures = { cases: rows.length, intakeCases: 0, missing: 0, wrongDraft: 0, wrongAnswers: 0, wrongEvents: 0, halfWritten: 0, ghosts: 0, duplicateReceipts: 0 };
  const note = (text) => {
    if (problems.length < 30) problems.push(text);
  };
  const seenReferences = new Map();
  for (const filed of acknowledged) {
    if (!filed.reference) {
      figures.missing += 1;
      note(`l'accusé du jeton ${filed.token.slice(0, 8)}… n'a pas pu être relu`);
      continue;
    }
    if (seenReferences.has(filed.reference)) {
      figures.duplicateReceipts += 1;
      note(`deux accusés portent la référence ${filed.reference}`);
    }
    seenReferences.set(filed.reference, filed);
    const row = byReference.get(filed.reference);
    if (!row) {
      figures.missing += 1;
      note(`${filed.reference} (accusé reçu) est absent de la base`);
      continue;
    }
    if (row.token_hash !== sha256(filed.token) || row.submitted_at === null || Number(row.own_link) !== 1) {
      figures.wrongDraft += 1;
      note(`${filed.reference} n'est pas rattaché au brouillon déposé de son jeton`);
    }
    const expected = expectedAnswers(filed.steps);
    const stored = JSON.parse(row.answers)?.values ?? {};
    const draft = row.draft_answers ? JSON.parse(row.draft_answers)?.values ?? {} : {};
    const differs = (values) =>
      Object.keys(expected).some((k) => values[k] !== expected[k]) || Object.keys(values).some((k) => !(k in expected));
    if (differs(stored) || differs(draft)) {
      figures.wrongAnswers += 1;
      const wrong = Object.keys({ ...expected, ...stored }).filter((k) => stored[k] !== expected[k]);
      note(`${filed.reference} : réponses différentes de celles envoyées (${wrong.join(', ') || 'brouillon'})`);
    }
    if (Number(row.filed_events) !== 1) {
      figures.wrongEvents += 1;
      note(`${filed.reference} : ${row.filed_events} événements « déposé » au lieu d'un`);
    }
  }
  const tokens = new Set(acknowledged.map((a) => sha256(a.token)));
  for (const row of rows) {
    if (row.draft_id !== null) figures.intakeCases += 1;
    // Every case, acknowledged or not, is whole: its filing event, its draft marked filed, its first follow-up
    // link, its notice to the collectivité, its words for the similar cases.
    const whole =
      Number(row.filed_events) === 1 &&
      Number(row.events) >= 1 &&
      (row.draft_id === null ||
        (row.submitted_at !== null && Number(row.own_link) === 1 && Number(row.emails) === 1 && Number(row.terms_indexed) === 1 && Number(row.terms) > 0));
    if (!whole) {
      figures.halfWritten += 1;
      note(`${row.reference} est incomplet (événements « déposé » ${row.filed_events}, lien ${row.own_link}, courriels ${row.emails}, mots ${row.terms})`);
    }
    if (row.draft_id !== null && !tokens.has(row.token_hash)) {
      figures.ghosts += 1;
      note(`${row.reference} est en base sans qu'aucun accusé n'ait été reçu`);
    }
  }
  const [orphans] = query(
    db,
    `SELECT
       (SELECT COUNT(*) FROM drafts d WHERE d.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.draft_id = d.id)) AS filed_drafts_without_case,
       (SELECT COUNT(*) FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)) AS events_without_case,
       (SELECT COUNT(*) FROM outbox o WHERE o.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = o.case_id)) AS emails_without_case,
       (SELECT COUNT(*) FROM follow_up_links l WHERE NOT EXISTS (SELECT 1 FROM drafts d WHERE d.id = l.draft_id AND d.submitted_at IS NOT NULL)) AS links_without_filing,
       (SELECT COUNT(*) FROM similarity_documents t WHERE t.kind = 'cas' AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = t.doc_id)) AS terms_without_case,
       (SELECT COUNT(*) FROM cases) AS cases,
       (SELECT COALESCE(SUM(last_number), 0) FROM reference_counters) AS numbers_given`,
  );
  for (const [key, text] of [
    ['filed_drafts_without_case', 'brouillons marqués déposés sans cas'],
    ['events_without_case', 'événements sans cas'],
    ['emails_without_case', 'courriels sans cas'],
    ['links_without_filing', 'liens de suivi sans dépôt'],
    ['terms_without_case', 'mots indexés sans cas'],
  ]) {
    if (Number(orphans[key]) > 0) {
      figures.halfWritten += Number(orphans[key]);
      note(`${orphans[key]} ${text}`);
    }
  }
  // Each reference number given is one case: a rolled-back filing gives its number back.
  if (Number(orphans.numbers_given) !== Number(orphans.cases)) {
    figures.halfWritten += 1;
    note(`${orphans.numbers_given} numéros de référence attribués pour ${orphans.cases} cas`);
  }
  figures.problems = problems;
  figures.ok =
    figures.missing + figures.wrongDraft + figures.wrongAnswers + figures.wrongEvents + figures.halfWritten + figures.ghosts + figures.duplicateReceipts === 0;
  return figures;
}

/** Prints the figures of `checkFilings` on a report and records its failures. */
export function reportFilings(out, figures, acknowledgedCount) {
  out.line('accusés de réception vérifiés en base', `${acknowledgedCount - figures.missing}/${acknowledgedCount}`);
  out.line('cas en base (dont dépôts de la démo)', `${figures.cases} (${figures.cases - figures.intakeCases})`);
  out.line('rattachés à un autre brouillon', figures.wrongDraft);
  out.line('réponses différentes de celles envoyées', figures.wrongAnswers);
  out.line('sans exactement un événement « déposé »', figures.wrongEvents);
  out.line('écritures à moitié faites', figures.halfWritten);
  out.line('cas sans accusé de réception', figures.ghosts);
  out.line('références accusées deux fois', figures.duplicateReceipts);
  for (const problem of figures.problems) out.note(problem);
  out.check(figures.ok, 'la base ne contient pas exactement les dépôts accusés, complets et une seule fois.');
}
