#!/bin/bash
# Starts the Kafka broker of docker-compose.yml: renders server.properties.template with the admin's password from
# the environment, formats the log folder once (creating the admin's SCRAM credential, the only user that must exist
# before the broker runs), then runs the broker. grant-access.sh adds the services' users and ACLs.
#
# Environment: CERTFLOW_KAFKA_ADMIN_PASSWORD (required, letters and digits: `openssl rand -hex 24`),
# KAFKA_CLUSTER_ID, KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_ADVERTISED_HOST (kafka),
# KAFKA_LOG_DIRS (/var/lib/kafka/data), KAFKA_BIN (/opt/kafka/bin), KAFKA_CONFIG (where to write the rendered file).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
password=${CERTFLOW_KAFKA_ADMIN_PASSWORD:?set CERTFLOW_KAFKA_ADMIN_PASSWORD}
if [[ ! $password =~ ^[A-Za-z0-9]{16,}$ ]]; then
  echo "CERTFLOW_KAFKA_ADMIN_PASSWORD must be at least 16 letters or digits (openssl rand -hex 24)" >&2
  exit 2
fi
bin=${KAFKA_BIN:-/opt/kafka/bin}
config=${KAFKA_CONFIG:-/tmp/certflow-kafka/server.properties}
log_dirs=${KAFKA_LOG_DIRS:-/var/lib/kafka/data}

props=$(<"$here/server.properties.template")
props=${props//@ADMIN_PASSWORD@/$password}
props=${props//@PORT@/${KAFKA_PORT:-9092}}
props=${props//@CONTROLLER_PORT@/${KAFKA_CONTROLLER_PORT:-9093}}
props=${props//@ADVERTISED_HOST@/${KAFKA_ADVERTISED_HOST:-kafka}}
props=${props//@LOG_DIRS@/$log_dirs}
mkdir -p "$(dirname "$config")" "$log_dirs"
(umask 077 && printf '%s\n' "$props" > "$config")

"$bin/kafka-storage.sh" format --ignore-formatted -c "$config" -t "${KAFKA_CLUSTER_ID:-Y2VydGZsb3cta2Fma2EtMQ}" \
  --add-scram "SCRAM-SHA-512=[name=admin,password=$password]" > /dev/null
exec "$bin/kafka-server-start.sh" "$config"
