#!/usr/bin/env bash
# Usage: installer/build.sh [app-image|deb]   (default app-image); output in target/installer
set -euo pipefail
cd "$(dirname "$0")/.."
type="${1:-app-image}"
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
mvn -B -q -DskipTests package
rm -rf target/installer target/jpackage-input
mkdir -p target/jpackage-input
cp target/personalab.jar target/lib/*.jar target/jpackage-input/
args=(--type "$type" --name PersonaLab --app-version 0.1.0 --input target/jpackage-input
  --main-jar personalab.jar --main-class org.personalab.Main --dest target/installer
  --java-options "-Xmx2g --enable-native-access=ALL-UNNAMED")
if [ "$type" = deb ]; then
  mkdir -p target/jpackage-resources
  args+=(--resource-dir target/jpackage-resources --linux-package-deps libgtk-3-0)
fi
"$JAVA_HOME/bin/jpackage" "${args[@]}"
echo "Built $(ls target/installer)"
