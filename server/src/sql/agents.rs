//! The SQL of the collectivités' space: the agents ProConnect let in, their sessions, and the cases of a
//! collectivité with what awaits its answer.

use app::model::agents::SpaceCase;
use app::store::agents::{Agent, AgentIdentity, AgentStore, NewAgentSession};
use app::store::StoreError;
use sqlx::Row;

use super::{fail, stage_of, SqlStore};

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
        let rows = sqlx::query("SELECT reference FROM cases WHERE collectivite_key = $1")
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
             FROM cases c WHERE c.collectivite_key = $1 ORDER BY c.created_at DESC, c.id DESC",
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

    async fn purge_agent_sessions(&self, before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM agent_sessions WHERE expires_at < $1")
            .bind(before)
            .execute(self.write())
            .await
            .map_err(fail("purge agent sessions"))?;
        Ok(done.rows_affected())
    }
}
