-- Runs once, when the postgres container starts on an empty data volume (the official
-- image runs every *.sql in /docker-entrypoint-initdb.d with psql, as POSTGRES_USER, in
-- POSTGRES_DB). Creates the two login roles of the deployment:
--
--   DB_OWNER_ROLE (samordning_owner): owns the tables; only the `migrate` service logs in
--                                     as it. Not superuser, so row-level security FORCEd on
--                                     a table applies to it too.
--   DB_APP_ROLE   (samordning_app):   web, worker and beat log in as it. Owns nothing, is
--                                     neither superuser nor BYPASSRLS; `migrate` grants it
--                                     SELECT/INSERT/UPDATE/DELETE on the tables afterwards.
--
-- Names and passwords come from the container's environment (docker-compose.yml passes
-- them from .env). psql's \getenv needs psql 15 or later, which postgres:15 has.
-- To change a password later: ALTER ROLE ... PASSWORD ..., and update .env.

\set ON_ERROR_STOP on

\getenv owner_role DB_OWNER_ROLE
\getenv app_role DB_APP_ROLE
\getenv owner_password DB_OWNER_PASSWORD
\getenv app_password DB_APP_PASSWORD
\getenv db_name POSTGRES_DB

\if :{?owner_role}
\else
    \set owner_role samordning_owner
\endif
\if :{?app_role}
\else
    \set app_role samordning_app
\endif
\if :{?db_name}
\else
    \set db_name postgres
\endif
\if :{?owner_password}
\else
    DO $$ BEGIN RAISE EXCEPTION 'DB_OWNER_PASSWORD is not set in the postgres container'; END $$;
\endif
\if :{?app_password}
\else
    DO $$ BEGIN RAISE EXCEPTION 'DB_APP_PASSWORD is not set in the postgres container'; END $$;
\endif

CREATE ROLE :"owner_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION NOINHERIT
    PASSWORD :'owner_password';
CREATE ROLE :"app_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION NOINHERIT
    PASSWORD :'app_password';

-- Neither role is granted the other: each process logs in as the role it works as
-- (samordning/db/logins.py), so no SET ROLE is ever needed, and a RESET ROLE changes nothing.

GRANT CONNECT ON DATABASE :"db_name" TO :"owner_role", :"app_role";
-- Since PostgreSQL 15 only the database owner may create in schema public.
GRANT USAGE, CREATE ON SCHEMA public TO :"owner_role";
GRANT USAGE ON SCHEMA public TO :"app_role";
