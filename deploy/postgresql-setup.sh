#!/bin/sh
# Create the PostgreSQL role and database for the app (run once, as root, on the database
# host). The app connects over the local socket with peer authentication as the system user
# "practice", so no password is stored anywhere:
#   DATABASE_URL=postgresql://practice@/practice?host=/var/run/postgresql
set -eu
runuser -u postgres -- psql -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'CREATE ROLE practice LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'practice')\gexec
SELECT 'CREATE DATABASE practice OWNER practice ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'practice')\gexec
SQL
echo "Database 'practice' ready; now run: practice db upgrade"
