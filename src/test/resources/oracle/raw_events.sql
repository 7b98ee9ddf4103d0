-- The oracle's input: every line of a replay folder as text, and whether the generator made it malformed.
CREATE SCHEMA IF NOT EXISTS oracle;
DROP TABLE IF EXISTS oracle.raw_events CASCADE;
CREATE TABLE oracle.raw_events (
    stream    text    NOT NULL,
    source    text    NOT NULL,
    line      text    NOT NULL,
    malformed boolean NOT NULL
);
