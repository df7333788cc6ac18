#!/usr/bin/env bash
# Runs a command with an unlocked Secret Service (gnome-keyring) on the D-Bus session bus, as a
# desktop session has, starting a session bus first when there is none. The keyring lives in a
# throwaway directory. Used by tests/run.sh and for screenshots on a headless machine.
# Usage: tests/support/keyring-session.sh COMMAND [ARGS...]
set -eu
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- "$0" "$@"
fi
keyring_home=$(mktemp -d)
eval "$(printf dropdock | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock)" >/dev/null
# Exported before the second call, so that call reaches the daemon just started (with its login
# collection) rather than starting another one that could win the Secret Service's bus name.
export GNOME_KEYRING_CONTROL
eval "$(printf dropdock | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --start --components=secrets)" >/dev/null
export GNOME_KEYRING_CONTROL
# The daemon makes its login collection after it answers: wait (up to 10 s) until the default
# alias names a collection and that collection is unlocked, so the first program to use the
# keychain never races it. Read-only: nothing is created here (an early write could make the
# daemon create a locked default collection of its own).
for _ in $(seq 1 50); do
  path=$(dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null | sed -n 's/.*object path "\(.*\)"/\1/p')
  if [ -n "$path" ] && [ "$path" != "/" ] && ! dbus-send --session --print-reply --dest=org.freedesktop.secrets "$path" \
    org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked 2>/dev/null | grep -q "boolean true"; then
    break
  fi
  sleep 0.2
done
exec "$@"
