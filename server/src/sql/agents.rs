//! The SQL of the collectivités' space: the agents ProConnect let in, their sessions, and the cases of a
//! collectivité with what awaits its answer, the drafts its agents share, the transfers of a case's contact and
//! the colleagues they invite.

use app::domain::access::{VisibleCase, VisibleDraft};
use app::domain::history::EventKind;
use app::domain::intake::IntakeAnswers;
use app::model::agents::{CaseContact, Colleague, PendingTransfer, SentInvitation, SpaceCase, SpaceDraft};
use app::store::agents::{
    Agent, AgentIdentity, AgentStore, CaseAttachment, ColleagueInvitation, NewAgentSession, SharedDraft,
    TransferDecision, TransferProposal,
};
use app::store::StoreError;
use sqlx::Row;

use super::outbox::Wait::MayWait;
use super::{fail, from_json, stage_of, to_json, SqlStore};

#[async_trait::async_trait]
impl AgentStore for SqlStore {
    async fn agent_signed_in(&self, identity: &AgentIdentity) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO agents (issuer, subject, siren, collectivite_key, collectivite_name, email, given_name, \
             usual_name, created_at, last_sign_in_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             ON CONFLICT (issuer, subject, siren) DO UPDATE SET collectivite_key = excluded.collectivite_key, \
             collectivite_name = excluded.collectivite_name, email = excluded.email, \
             given_name = excluded.given_name, usual_name = excluded.usual_name, \
             last_sign_in_at = excluded.last_sign_in_at RETURNING id",
        )
        .bind(&identity.issuer)
        .bind(&identity.subject)
        .bind(&identity.siren)
        .bind(&identity.collectivite_key)
        .bind(&identity.collectivite_name)
        .bind(&identity.email)
        .bind(&identity.given_name)
        .bind(&identity.usual_name)
        .bind(identity.now)
        .fetch_one(self.write())
        .await
        .map_err(fail("agent signed in"))?;
        row.try_get("id").map_err(fail("agent id"))
    }

    async fn create_agent_session(&self, session: &NewAgentSession) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO agent_sessions (token_hash, agent_id, id_token, acr, idp_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&session.token_hash)
        .bind(session.agent_id)
        .bind(&session.id_token)
        .bind(&session.acr)
        .bind(&session.idp_id)
        .bind(session.now)
        .bind(session.expires_at)
        .execute(self.write())
        .await
        .map_err(fail("agent session"))?;
        Ok(())
    }

    async fn agent_of_session(&self, token_hash: &str, now: i64) -> Result<Option<Agent>, StoreError> {
        let row = sqlx::query(
            "SELECT a.id, a.email, a.given_name, a.usual_name, a.collectivite_key, a.collectivite_name, s.acr, \
             s.idp_id \
             FROM agent_sessions s JOIN agents a ON a.id = s.agent_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.read())
        .await
        .map_err(fail("agent of session"))?;
        row.map(|row| {
            Ok(Agent {
                id: row.try_get("id").map_err(fail("agent id"))?,
                email: row.try_get("email").map_err(fail("agent email"))?,
                given_name: row.try_get("given_name").map_err(fail("agent given name"))?,
                usual_name: row.try_get("usual_name").map_err(fail("agent usual name"))?,
                collectivite_key: row.try_get("collectivite_key").map_err(fail("agent collectivite"))?,
                collectivite_name: row
                    .try_get("collectivite_name")
                    .map_err(fail("agent collectivite name"))?,
                acr: row.try_get("acr").map_err(fail("agent acr"))?,
                idp_id: row.try_get("idp_id").map_err(fail("agent idp"))?,
            })
        })
        .transpose()
    }

    async fn end_agent_session(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("DELETE FROM agent_sessions WHERE token_hash = $1 RETURNING id_token")
            .bind(token_hash)
            .fetch_optional(self.write())
            .await
            .map_err(fail("end agent session"))?;
        row.map(|row| row.try_get("id_token").map_err(fail("agent id token")))
            .transpose()
    }

    async fn collectivite_references(&self, collectivite_key: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT reference FROM cases WHERE collectivite_key = $1 AND attached_at IS NOT NULL")
            .bind(collectivite_key)
            .fetch_all(self.read())
            .await
            .map_err(fail("collectivite references"))?;
        rows.iter()
            .map(|row| row.try_get("reference").map_err(fail("collectivite reference")))
            .collect()
    }

    async fn collectivite_cases(&self, collectivite_key: &str) -> Result<Vec<SpaceCase>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.reference, c.title, c.stage, c.region, c.created_at, \
             (SELECT COUNT(*) FROM case_messages m WHERE m.case_id = c.id AND m.from_collectivite = 0 \
              AND m.id > COALESCE((SELECT MAX(n.id) FROM case_messages n \
                                   WHERE n.case_id = c.id AND n.from_collectivite = 1), 0)) AS unanswered \
             FROM cases c WHERE c.collectivite_key = $1 AND c.attached_at IS NOT NULL ORDER BY c.created_at DESC, c.id DESC",
        )
        .bind(collectivite_key)
        .fetch_all(self.read())
        .await
        .map_err(fail("collectivite cases"))?;
        rows.iter()
            .map(|row| {
                let stage: String = row.try_get("stage").map_err(fail("space stage"))?;
                Ok(SpaceCase {
                    reference: row.try_get("reference").map_err(fail("space reference"))?,
                    title: row.try_get("title").map_err(fail("space title"))?,
                    stage: stage_of(&stage)?,
                    region: row.try_get("region").map_err(fail("space region"))?,
                    filed_at: row.try_get("created_at").map_err(fail("space filed"))?,
                    unanswered: row.try_get("unanswered").map_err(fail("space unanswered"))?,
                })
            })
            .collect()
    }

    async fn unattached_count(&self, collectivite_key: &str) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE collectivite_key = $1 AND attached_at IS NULL")
            .bind(collectivite_key)
            .fetch_one(self.read())
            .await
            .map_err(fail("unattached count"))
    }

    async fn case_attachment(&self, case: &VisibleCase) -> Result<Option<(String, bool)>, StoreError> {
        let row = sqlx::query("SELECT collectivite_key, attached_at FROM cases WHERE reference = $1")
            .bind(case.as_str())
            .fetch_optional(self.read())
            .await
            .map_err(fail("case attachment"))?;
        row.map(|row| {
            let key: String = row.try_get("collectivite_key").map_err(fail("attachment key"))?;
            let at: Option<i64> = row.try_get("attached_at").map_err(fail("attachment at"))?;
            Ok((key, at.is_some()))
        })
        .transpose()
    }

    async fn attach_case(&self, case: &VisibleCase, attachment: &CaseAttachment) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("attach begin"))?;
        let Some(locked) = self.lock_case(&mut tx, case.as_str()).await? else {
            return Ok(false);
        };
        let attached = sqlx::query(
            "UPDATE cases SET attached_at = $1, attached_by = $2 \
             WHERE id = $3 AND collectivite_key = $4 AND attached_at IS NULL",
        )
        .bind(attachment.now)
        .bind(attachment.agent_id)
        .bind(locked.id)
        .bind(&attachment.collectivite_key)
        .execute(&mut *tx)
        .await
        .map_err(fail("attach case"))?;
        if attached.rows_affected() != 1 {
            tx.commit().await.map_err(fail("attach commit"))?;
            return Ok(false);
        }
        self.finish_case_write(
            tx,
            &locked,
            case.as_str(),
            &attachment.actor,
            EventKind::Attached,
            &attachment.detail,
            attachment.now,
        )
        .await?;
        Ok(true)
    }

    async fn start_shared_draft(&self, draft: &SharedDraft) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO drafts (token_hash, answers, created_at, updated_at, collectivite_key, started_by) \
             VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(&draft.token_hash)
        .bind(to_json(&draft.answers)?)
        .bind(draft.now)
        .bind(&draft.collectivite_key)
        .bind(draft.agent_id)
        .execute(self.write())
        .await
        .map_err(fail("start shared draft"))?;
        Ok(())
    }

    async fn collectivite_drafts(&self, collectivite_key: &str) -> Result<Vec<SpaceDraft>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.id, d.answers, d.updated_at, a.given_name, a.usual_name FROM drafts d \
             JOIN agents a ON a.id = d.started_by \
             WHERE d.collectivite_key = $1 AND d.submitted_at IS NULL ORDER BY d.updated_at DESC, d.id DESC",
        )
        .bind(collectivite_key)
        .fetch_all(self.read())
        .await
        .map_err(fail("collectivite drafts"))?;
        rows.iter()
            .map(|row| {
                let answers: IntakeAnswers = from_json(
                    &row.try_get::<String, _>("answers")
                        .map_err(fail("space draft answers"))?,
                )?;
                Ok(SpaceDraft {
                    id: row.try_get("id").map_err(fail("space draft id"))?,
                    title: answers.get("titre").to_string(),
                    started_by: full_name(row)?,
                    updated_at: row.try_get("updated_at").map_err(fail("space draft updated"))?,
                })
            })
            .collect()
    }

    async fn shared_draft_collectivite(&self, id: i64) -> Result<Option<String>, StoreError> {
        let key: Option<Option<String>> =
            sqlx::query_scalar("SELECT collectivite_key FROM drafts WHERE id = $1 AND submitted_at IS NULL")
                .bind(id)
                .fetch_optional(self.read())
                .await
                .map_err(fail("shared draft collectivite"))?;
        Ok(key.flatten())
    }

    async fn issue_draft_link(
        &self,
        draft: &VisibleDraft,
        agent_id: i64,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("draft link begin"))?;
        let open: Option<i64> = sqlx::query_scalar("SELECT id FROM drafts WHERE id = $1 AND submitted_at IS NULL")
            .bind(draft.id())
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("draft link open"))?;
        if open.is_none() {
            return Ok(None);
        }
        let token = super::links::issue_link_for_in(&mut tx, draft.id(), Some(agent_id), now).await?;
        tx.commit().await.map_err(fail("draft link commit"))?;
        Ok(Some(token))
    }

    async fn colleagues(&self, collectivite_key: &str) -> Result<Vec<Colleague>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, given_name, usual_name, email FROM agents WHERE collectivite_key = $1 \
             ORDER BY usual_name, given_name, id",
        )
        .bind(collectivite_key)
        .fetch_all(self.read())
        .await
        .map_err(fail("colleagues"))?;
        rows.iter()
            .map(|row| {
                Ok(Colleague {
                    id: row.try_get("id").map_err(fail("colleague id"))?,
                    name: full_name(row)?,
                    email: row.try_get("email").map_err(fail("colleague email"))?,
                })
            })
            .collect()
    }

    async fn case_contact(&self, case: &VisibleCase) -> Result<Option<CaseContact>, StoreError> {
        let row = sqlx::query("SELECT id, contact_email, answers FROM cases WHERE reference = $1")
            .bind(case.as_str())
            .fetch_optional(self.read())
            .await
            .map_err(fail("case contact"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id").map_err(fail("contact case id"))?;
        let answers = from_json(&row.try_get::<String, _>("answers").map_err(fail("contact answers"))?)?;
        let pending = sqlx::query(
            "SELECT a.given_name, a.usual_name, t.proposed_at FROM contact_transfers t \
             JOIN agents a ON a.id = t.to_agent_id WHERE t.case_id = $1 AND t.outcome IS NULL \
             ORDER BY t.id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(self.read())
        .await
        .map_err(fail("contact pending"))?;
        let pending = match pending {
            Some(row) => Some((
                full_name(&row)?,
                row.try_get("proposed_at").map_err(fail("pending at"))?,
            )),
            None => None,
        };
        Ok(Some(CaseContact {
            name: answers.get("contact_nom").to_string(),
            email: row.try_get("contact_email").map_err(fail("contact email"))?,
            pending,
        }))
    }

    async fn propose_transfer(&self, case: &VisibleCase, proposal: &TransferProposal) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("transfer begin"))?;
        let case_id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(case.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("transfer case"))?;
        let Some(case_id) = case_id else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE contact_transfers SET outcome = 'remplacee', decided_at = $2 \
             WHERE case_id = $1 AND outcome IS NULL",
        )
        .bind(case_id)
        .bind(proposal.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("transfer replace"))?;
        sqlx::query(
            "INSERT INTO contact_transfers (case_id, to_agent_id, proposed_by, proposed_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(case_id)
        .bind(proposal.to_agent_id)
        .bind(proposal.proposed_by)
        .bind(proposal.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("transfer insert"))?;
        super::outbox::queue_about(&mut tx, &proposal.email, Some(case_id), MayWait, proposal.now).await?;
        tx.commit().await.map_err(fail("transfer commit"))?;
        Ok(true)
    }

    async fn transfers_for(&self, agent_id: i64) -> Result<Vec<PendingTransfer>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, c.reference, c.title, a.given_name, a.usual_name, a.email, t.proposed_at FROM contact_transfers t \
             JOIN cases c ON c.id = t.case_id JOIN agents a ON a.id = t.proposed_by \
             WHERE t.to_agent_id = $1 AND t.outcome IS NULL ORDER BY t.proposed_at DESC, t.id DESC",
        )
        .bind(agent_id)
        .fetch_all(self.read())
        .await
        .map_err(fail("transfers for"))?;
        rows.iter()
            .map(|row| {
                Ok(PendingTransfer {
                    id: row.try_get("id").map_err(fail("transfer id"))?,
                    reference: row.try_get("reference").map_err(fail("transfer reference"))?,
                    title: row.try_get("title").map_err(fail("transfer title"))?,
                    proposed_by: full_name(row)?,
                    proposed_by_email: row.try_get("email").map_err(fail("transfer proposer"))?,
                    proposed_at: row.try_get("proposed_at").map_err(fail("transfer at"))?,
                })
            })
            .collect()
    }

    async fn decide_transfer(&self, case: &VisibleCase, decision: &TransferDecision) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("decide begin"))?;
        let Some(locked) = self.lock_case(&mut tx, case.as_str()).await? else {
            return Ok(false);
        };
        let outcome = if decision.accept { "acceptee" } else { "refusee" };
        let decided = sqlx::query(
            "UPDATE contact_transfers SET outcome = $1, decided_at = $2 \
             WHERE id = $3 AND case_id = $4 AND to_agent_id = $5 AND outcome IS NULL",
        )
        .bind(outcome)
        .bind(decision.now)
        .bind(decision.transfer_id)
        .bind(locked.id)
        .bind(decision.agent_id)
        .execute(&mut *tx)
        .await
        .map_err(fail("decide transfer"))?;
        if decided.rows_affected() != 1 || !decision.accept {
            // Declined: the contact stays; whoever proposed it is told.
            if decided.rows_affected() == 1 {
                for email in &decision.emails {
                    super::outbox::queue_about(&mut tx, email, Some(locked.id), MayWait, decision.now).await?;
                }
            }
            tx.commit().await.map_err(fail("decide commit"))?;
            return Ok(decided.rows_affected() == 1);
        }
        let answers: String = sqlx::query_scalar("SELECT answers FROM cases WHERE id = $1")
            .bind(locked.id)
            .fetch_one(&mut *tx)
            .await
            .map_err(fail("decide answers"))?;
        let mut answers = from_json(&answers)?;
        app::domain::agents::hand_over_contact(&mut answers, &decision.name, &decision.email);
        sqlx::query("UPDATE cases SET contact_email = $1, answers = $2 WHERE id = $3")
            .bind(&decision.email)
            .bind(to_json(&answers)?)
            .bind(locked.id)
            .execute(&mut *tx)
            .await
            .map_err(fail("decide contact"))?;
        for email in &decision.emails {
            super::outbox::queue_about(&mut tx, email, Some(locked.id), MayWait, decision.now).await?;
        }
        let kind = EventKind::ContactTransferred;
        self.finish_case_write(
            tx,
            &locked,
            case.as_str(),
            &decision.actor,
            kind,
            &decision.detail,
            decision.now,
        )
        .await?;
        Ok(true)
    }

    async fn invitations_sent_since(&self, agent_id: i64, since: i64) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM agent_invitations WHERE invited_by = $1 AND created_at > $2")
            .bind(agent_id)
            .bind(since)
            .fetch_one(self.read())
            .await
            .map_err(fail("invitations sent"))
    }

    async fn invite_colleague(&self, invitation: &ColleagueInvitation) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("invite begin"))?;
        sqlx::query(
            "INSERT INTO agent_invitations (collectivite_key, email, invited_by, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&invitation.collectivite_key)
        .bind(&invitation.email.to)
        .bind(invitation.invited_by)
        .bind(invitation.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("invite insert"))?;
        super::outbox::queue_in(&mut tx, &invitation.email, invitation.now).await?;
        tx.commit().await.map_err(fail("invite commit"))
    }

    async fn invitations(&self, collectivite_key: &str) -> Result<Vec<SentInvitation>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.email, i.created_at, a.given_name, a.usual_name, \
             (SELECT COUNT(*) FROM agents g WHERE g.collectivite_key = i.collectivite_key AND g.email = i.email) \
             AS joined FROM agent_invitations i JOIN agents a ON a.id = i.invited_by \
             WHERE i.collectivite_key = $1 AND i.id = (SELECT MAX(j.id) FROM agent_invitations j \
             WHERE j.collectivite_key = i.collectivite_key AND j.email = i.email) \
             ORDER BY i.created_at DESC, i.id DESC",
        )
        .bind(collectivite_key)
        .fetch_all(self.read())
        .await
        .map_err(fail("invitations"))?;
        rows.iter()
            .map(|row| {
                let joined: i64 = row.try_get("joined").map_err(fail("invitation joined"))?;
                Ok(SentInvitation {
                    email: row.try_get("email").map_err(fail("invitation email"))?,
                    invited_by: full_name(row)?,
                    at: row.try_get("created_at").map_err(fail("invitation at"))?,
                    joined: joined > 0,
                })
            })
            .collect()
    }

    async fn purge_agent_sessions(&self, before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM agent_sessions WHERE expires_at < $1")
            .bind(before)
            .execute(self.write())
            .await
            .map_err(fail("purge agent sessions"))?;
        Ok(done.rows_affected())
    }
}

/// The first name and usual name of an agent's row (`given_name`, `usual_name`).
fn full_name(row: &sqlx::any::AnyRow) -> Result<String, StoreError> {
    let given: String = row.try_get("given_name").map_err(fail("given name"))?;
    let usual: String = row.try_get("usual_name").map_err(fail("usual name"))?;
    Ok(format!("{given} {usual}").trim().to_string())
}
