#!/bin/sh
# Installs the llm-service command line: the executable jar into PREFIX/lib and the launcher into
# PREFIX/bin (default PREFIX: ~/.local). Build first: ./mvnw -B -q package -DskipTests
#
#   ./install.sh                      # ~/.local/bin/llm-service, ~/.local/lib/llm-service.jar
#   ./install.sh --prefix /opt/llm    # another place (needs write access there)
#   ./install.sh --no-cds             # skip the class-data-sharing archive (faster install, slower start-up)
#   ./install.sh --uninstall          # removes what an install put there
set -eu

prefix=${HOME}/.local
uninstall=false
cds=true
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a directory" >&2; exit 2; }; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) uninstall=true; shift ;;
    --no-cds) cds=false; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option '$1'" >&2; echo "hint: ./install.sh --help" >&2; exit 2 ;;
  esac
done

bin=$prefix/bin
lib=$prefix/lib
if [ "$uninstall" = true ]; then
  for f in "$bin/llm-service" "$lib/llm-service.jar" "$lib/llm-service.jar.jsa"; do
    if [ -e "$f" ]; then rm -f -- "$f"; echo "removed $f"; fi
  done
  exit 0
fi

here=$(cd -P -- "$(dirname -- "$0")" && pwd)
jar=$here/llm-service-cli/target/llm-service.jar
launcher=$here/llm-service-cli/src/main/dist/bin/llm-service
if [ ! -f "$jar" ]; then
  echo "error: $jar not found" >&2
  echo "hint: build it first: ./mvnw -B -q package -DskipTests" >&2
  exit 1
fi

mkdir -p -- "$bin" "$lib"
cp -- "$jar" "$lib/llm-service.jar"
echo "installed $lib/llm-service.jar"
cp -- "$launcher" "$bin/llm-service"
chmod 755 "$bin/llm-service"
echo "installed $bin/llm-service"
rm -f -- "$lib/llm-service.jar.jsa"

# A class-data-sharing archive cuts the start-up of every command (docs/benchmarks.md). JDK 17
# cannot make one by itself. A static archive is made from the list of classes that representative
# commands load: unlike a dynamic one (-XX:ArchiveClassesAtExit) it also holds picocli's classes,
# which are Java 5 class files that a dynamic archive skips, so they would be parsed and verified on
# every start. The two lists are merged without the ids and custom-loader entries some JDK builds
# write (each run numbers its own ids; the same id twice would abort the dump).
if [ "$cds" = true ]; then
  java=java
  [ -n "${JAVA_HOME:-}" ] && java=$JAVA_HOME/bin/java
  scratch=$(mktemp -d)
  # A warm-up `exec` against a local stand-in (nothing leaves the machine) loads what a real call loads.
  printf '#!/bin/sh\ncat >/dev/null\nprintf %%s '"'"'{"type":"result","is_error":false,"result":"ok","usage":{"input_tokens":1,"output_tokens":1}}'"'"'\n' \
    > "$scratch/stand-in"
  chmod +x "$scratch/stand-in"
  # The default telemetry store (H2 when its module is in the jar) in the scratch directory: the first
  # run creates the database, the listed runs open an existing one, as every later call does.
  printf 'tools:\n  claude-code: {extends: claude-code, binary: "%s"}\nagents:\n  warm-up: {tool: claude-code, model: claude-sonnet-4-5}\npolicies:\n  telemetry: {path: "%s"}\n' \
    "$scratch/stand-in" "$scratch/telemetry" > "$scratch/llm-service.yaml"
  run() { "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Duser.home="$scratch" "$@" >/dev/null 2>&1; }
  if run -jar "$lib/llm-service.jar" exec --config "$scratch/llm-service.yaml" "warm up" \
     && run -XX:DumpLoadedClassList="$scratch/exec.classes" -jar "$lib/llm-service.jar" \
          exec --config "$scratch/llm-service.yaml" "warm up" \
     && run -XX:DumpLoadedClassList="$scratch/version.classes" -jar "$lib/llm-service.jar" version \
     && grep -hv ' source: ' "$scratch/exec.classes" "$scratch/version.classes" | sed 's/ id: [0-9]*$//' \
          | awk '!seen[$0]++' > "$scratch/classes" \
     && run -Xshare:dump -XX:SharedClassListFile="$scratch/classes" -XX:SharedArchiveFile="$lib/llm-service.jar.jsa" \
          -jar "$lib/llm-service.jar" \
     && [ -f "$lib/llm-service.jar.jsa" ]; then
    echo "installed $lib/llm-service.jar.jsa (class data sharing archive for faster start-up)"
  else
    rm -f -- "$lib/llm-service.jar.jsa"
    echo "note: could not create the class data sharing archive; start-up is slower"
  fi
  rm -rf -- "$scratch"
fi

case ":${PATH}:" in
  *":$bin:"*) ;;
  *) echo "note: $bin is not on your PATH; add it, e.g. echo 'export PATH=\"$bin:\$PATH\"' >> ~/.profile" ;;
esac
"$bin/llm-service" version
