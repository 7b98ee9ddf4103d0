-- Pulse UDFs (classes in target/pulse.jar, package dev.pulse.sql; bin/sql-client loads the jar with --jar).
-- The parse functions are the job's own parser: a line the job makes a dead letter is NULL here, so the scripts
-- count exactly the records the job counts. Analysts add their own functions the same way.
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS PULSE_EVENT_TIME AS 'dev.pulse.sql.EventTime';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS PULSE_ORDER AS 'dev.pulse.sql.ParseOrder';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS PULSE_BEHAVIOR AS 'dev.pulse.sql.ParseBehavior';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS PULSE_PAYMENT AS 'dev.pulse.sql.ParsePayment';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS PULSE_RATIO AS 'dev.pulse.sql.Ratio';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS PULSE_SESSION AS 'dev.pulse.sql.SessionFunnel';
