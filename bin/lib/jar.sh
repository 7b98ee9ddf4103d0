# Sourced by the bin/ scripts: builds target/pulse.jar when it is missing or older than the sources, quietly
# (the build's output goes to target-build.log, kept only when the build fails), and sets $jar and $classpath.
# Needs $root (the repository) and $name (the calling script, for messages).
jar="$root/target/pulse.jar"
classpath_file="$root/target/classpath.txt"

jar_is_stale() {
  local f
  for f in "$jar" "$classpath_file" "$root/target/flink-classpath.txt" "$root/target/kafka-classpath.txt"; do
    [[ -f "$f" ]] || return 0
  done
  [[ -n "$(find "$root/src/main" "$root/sql/postgres" "$root/sql/flink/postgres" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]
}

if jar_is_stale; then
  command -v mvn >/dev/null || { echo "$name: target/pulse.jar is missing and mvn is not installed; install Maven 3.8+ and Java 17" >&2; exit 2; }
  echo "$name: building target/pulse.jar (mvn package) ..." >&2
  if ! (cd "$root" && mvn -q -DskipTests package >"$root/target-build.log" 2>&1); then
    echo "$name: the build failed; see $root/target-build.log" >&2
    exit 1
  fi
  rm -f "$root/target-build.log"
fi
classpath="$jar:$(cat "$classpath_file")"
