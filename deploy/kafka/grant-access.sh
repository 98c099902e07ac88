#!/bin/bash
# The one-shot set-up job of docker-compose.yml: as the Kafka admin, creates certflow's topics (and their dead-letter
# topics), one SCRAM user per service (and billing), and exactly the ACLs of access.properties. Safe to run again:
# users get their current password, existing topics and ACLs stay.
#
# Environment: CERTFLOW_KAFKA_ADMIN_PASSWORD, CERTFLOW_KAFKA_PASSWORD_<USER> for every user of access.properties
# (ORDER_SERVICE, VERIFICATION_SERVICE, ISSUANCE_SERVICE, HOSTING_SERVICE, DEPLOYMENT_SERVICE, BILLING; letters and
# digits), KAFKA_BOOTSTRAP (kafka:9092), KAFKA_PARTITIONS (3), KAFKA_BIN (/opt/kafka/bin),
# CERTFLOW_CREATE_TOPICS (yes).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${KAFKA_BIN:-/opt/kafka/bin}
bootstrap=${KAFKA_BOOTSTRAP:-kafka:9092}
admin_password=${CERTFLOW_KAFKA_ADMIN_PASSWORD:?set CERTFLOW_KAFKA_ADMIN_PASSWORD}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
admin="$work/admin.properties"
(umask 077 && cat > "$admin" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
PROPS
)
kafka() { local tool=$1; shift; "$bin/$tool" --bootstrap-server "$bootstrap" --command-config "$admin" "$@"; }

# every user's password first: a missing one stops the job before anything changed
users=$(sed -n 's/^\([a-z-]*\)\.produces=.*/\1/p' "$here/access.properties")
for user in $users; do
  variable="CERTFLOW_KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<< "$user")"
  password=${!variable:-}
  if [[ ! $password =~ ^[A-Za-z0-9]{16,}$ ]]; then
    echo "$variable must be set to at least 16 letters or digits (openssl rand -hex 24)" >&2
    exit 2
  fi
done

for attempt in $(seq 1 60); do
  kafka kafka-configs.sh --describe --entity-type users > /dev/null 2>&1 && break
  [[ $attempt == 60 ]] && { echo "Kafka at $bootstrap does not answer the admin" >&2; exit 1; }
  sleep 2
done

list() { sed -n "s/^$1\.$2=//p" "$here/access.properties" | tr ',' ' '; }

if [[ ${CERTFLOW_CREATE_TOPICS:-yes} == yes ]]; then
  for topic in $(for user in $users; do list "$user" produces; done | tr ' ' '\n' | sort -u); do
    for name in "$topic" "$topic-dlt"; do
      kafka kafka-topics.sh --create --if-not-exists --topic "$name" --partitions "${KAFKA_PARTITIONS:-3}" > /dev/null
    done
  done
fi

for user in $users; do
  variable="CERTFLOW_KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<< "$user")"
  kafka kafka-configs.sh --alter --entity-type users --entity-name "$user" \
    --add-config "SCRAM-SHA-512=[password=${!variable}]" > /dev/null
  writes=(); reads=()
  for topic in $(list "$user" produces); do writes+=(--topic "$topic"); done
  for topic in $(list "$user" consumes); do reads+=(--topic "$topic"); writes+=(--topic "$topic-dlt"); done
  kafka kafka-acls.sh --add --allow-principal "User:$user" --producer "${writes[@]}" > /dev/null
  kafka kafka-acls.sh --add --allow-principal "User:$user" --consumer "${reads[@]}" --group "$user" > /dev/null
  echo "kafka: $user may write $(list "$user" produces | wc -w) topics and read $(list "$user" consumes | wc -w)"
done
principals=(); for user in $users; do principals+=(--allow-principal "User:$user"); done
kafka kafka-acls.sh --add "${principals[@]}" --operation Describe --topic certflow. --resource-pattern-type prefixed > /dev/null
