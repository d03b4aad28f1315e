#!/bin/sh
# Wall time of `imap-doctor probe` against `openssl s_client` on the same
# local Dovecot (STARTTLS and implicit TLS; one endpoint and 50), with
# hyperfine. Run as root (Dovecot's mail processes run as nobody).
# Usage: crates/probe/bench/bench.sh path/to/imap-doctor
set -eu
BIN=${1:?path to the imap-doctor binary}
D=$(mktemp -d /tmp/imap-doctor-bench.XXXXXX)
chmod 755 "$D"
mkdir -p "$D/run"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=mail.example.test \
  -addext subjectAltName=DNS:mail.example.test -keyout "$D/key.pem" -out "$D/chain.pem" 2>/dev/null
P=$(shuf -i 20000-29999 -n 1); T=$((P + 1))
cat > "$D/dovecot.conf" <<CONF
base_dir = $D/run
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$D/chain.pem
ssl_key = <$D/key.pem
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$D/home/%u
}
service imap-login {
  inet_listener imap {
    port = $P
  }
  inet_listener imaps {
    port = $T
    ssl = yes
  }
}
CONF
dovecot -c "$D/dovecot.conf"
trap 'kill $(cat "$D/run/master.pid") 2>/dev/null; rm -rf "$D"' EXIT
sleep 1
: > "$D/t50"
for i in $(seq 1 25); do echo "127.0.0.1:$T tls" >> "$D/t50"; echo "127.0.0.1:$P starttls" >> "$D/t50"; done
for i in $(seq 1 25); do echo "127.0.0.1:$T"; echo "127.0.0.1:$P -starttls imap"; done > "$D/s50"
hyperfine -N -i -w 3 -m 20 --export-markdown "$D/single.md" \
  -n "s_client implicit TLS" "openssl s_client -connect 127.0.0.1:$T -servername mail.example.test" \
  -n "probe implicit TLS" "$BIN probe mail.example.test --connect-to 127.0.0.1:$T --port 993 --json" \
  -n "s_client STARTTLS" "openssl s_client -connect 127.0.0.1:$P -starttls imap -servername mail.example.test" \
  -n "probe STARTTLS" "$BIN probe mail.example.test --connect-to 127.0.0.1:$P --port 143 --mode starttls --json" \
  -n "probe implicit TLS, no public roots" "$BIN probe mail.example.test --connect-to 127.0.0.1:$T --port 993 --no-public-roots --json" \
  -n "probe STARTTLS, no public roots" "$BIN probe mail.example.test --connect-to 127.0.0.1:$P --port 143 --mode starttls --no-public-roots --json" \
  </dev/null
# 50 endpoints: s_client one after another (as a script would), the probe with --targets.
hyperfine -i -w 1 -m 5 --export-markdown "$D/fifty.md" \
  -n "50 x s_client" "while read a b; do openssl s_client -connect \$a \$b </dev/null >/dev/null 2>&1; done < $D/s50" \
  -n "probe --targets (50)" "$BIN probe --targets $D/t50 --json >/dev/null"
cat "$D/single.md" "$D/fifty.md"
