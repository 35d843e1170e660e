#!/usr/bin/env bash
# Generates the default announcement voice: one small mono Ogg Vorbis clip per word or phrase,
# plus the chime, into apps/counter-display/public/voice/vi/. The files are committed, so CI and
# centers never need espeak-ng; rerun this only when the word list changes.
#
# Needs: espeak-ng (Vietnamese voice "vi", the northern one), sox with Vorbis support, node.
# The word list comes from packages/domain (allAnnouncementClips), so the clips always match what
# buildAnnouncement() asks for. A center replaces them with its own recordings: docs/voice.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/apps/counter-display/public/voice/vi"
voice="${LUOT_ESPEAK_VOICE:-vi}"   # vi = Vietnamese (Northern); vi-vn-x-south for the south
speed="${LUOT_ESPEAK_SPEED:-140}"  # words per minute: slower than the default 175, for a hall

command -v espeak-ng >/dev/null || { echo "espeak-ng is missing (apt-get install espeak-ng)" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox is missing (apt-get install sox libsox-fmt-all)" >&2; exit 1; }

mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The clip list is TypeScript; compile the domain package and read it from its build output.
(cd "$root" && node_modules/.bin/tsc -b packages/domain)
list="$(cd "$root" && node --input-type=module -e "
  const d = await import('./packages/domain/dist/index.js');
  for (const c of d.allAnnouncementClips()) console.log(c.clip + '\t' + c.text);
")"

# Trim leading/trailing silence (espeak pads generously), mono, 22.05 kHz, low Vorbis quality:
# a word is a few kB, and the whole set stays far below 2 MB.
encode() { sox "$1" -c 1 -r 22050 -C 0 "$2" silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0 0.04; }

count=0
while IFS=$'\t' read -r clip text; do
  [ -n "$clip" ] || continue
  # Letter names are written with hyphens ("e-lờ"); espeak reads them better as separate syllables.
  espeak-ng -v "$voice" -s "$speed" -w "$tmp/$clip.wav" "${text//-/ }"
  encode "$tmp/$clip.wav" "$out/$clip.ogg"
  count=$((count + 1))
done <<< "$list"

# The chime: a two-note "ding-dong" (E5 then C5) with a soft decay, played before every call.
sox -n -r 22050 -c 1 "$tmp/ding.wav" synth 0.45 sine 659.25 fade q 0.01 0.45 0.35 vol 0.5
sox -n -r 22050 -c 1 "$tmp/dong.wav" synth 0.7 sine 523.25 fade q 0.01 0.7 0.55 vol 0.5
sox "$tmp/ding.wav" "$tmp/dong.wav" -C 0 "$out/chime.ogg" pad 0 0.15

echo "wrote $count clips and chime.ogg to ${out#"$root"/} ($(du -sh "$out" | cut -f1))"
