# Sourced by the client checks and the client benchmark: installs kcat and the pinned Python clients when missing.
# Needs VENV and CACHE set.
# kcat 1.7.1 (librdkafka 2.0.2) from Debian: the oldest protocol versions the server must speak.
if ! command -v kcat >/dev/null; then
  echo "Installing kcat (Debian)..."
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq kcat >/dev/null || { echo "could not install kcat" >&2; exit 2; }
fi
# kafka-python and confluent-kafka, pinned; the same venv gives the codec generator its schemas.
if ! "$VENV/bin/python" -c 'from importlib.metadata import version as v; assert (v("kafka-python"), v("confluent-kafka")) == ("3.0.12", "2.16.1")' 2>/dev/null; then
  echo "Creating $VENV (kafka-python 3.0.12, confluent-kafka 2.16.1)..."
  rm -rf "$VENV"; mkdir -p "$CACHE"
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q kafka-python==3.0.12 confluent-kafka==2.16.1 || { echo "could not create the venv" >&2; exit 2; }
fi

