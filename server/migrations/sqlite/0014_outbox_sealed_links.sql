-- The private links of a message waiting in the outbox (invitation, password reset, follow-up links), sealed with
-- IAF_CLE_COURRIELS: the stored bodies hold placeholders instead; wiped once the message is delivered.
ALTER TABLE outbox ADD COLUMN sealed_links TEXT;
