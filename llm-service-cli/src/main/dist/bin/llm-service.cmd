@echo off
rem llm-service launcher for Windows. Runs the executable jar with %JAVA_HOME%\bin\java.exe (else
rem java on PATH) and %JAVA_OPTS%. The jar is looked up in ..\lib\ next to this script, then beside
rem it; %LLM_SERVICE_JAR% overrides both. Paths with spaces work.
setlocal
set "LLM_SERVICE_BIN=%~dp0"

if defined LLM_SERVICE_JAR (
  set "LLM_SERVICE_JAR_PATH=%LLM_SERVICE_JAR%"
) else if exist "%LLM_SERVICE_BIN%..\lib\llm-service.jar" (
  set "LLM_SERVICE_JAR_PATH=%LLM_SERVICE_BIN%..\lib\llm-service.jar"
) else if exist "%LLM_SERVICE_BIN%llm-service.jar" (
  set "LLM_SERVICE_JAR_PATH=%LLM_SERVICE_BIN%llm-service.jar"
) else (
  echo error: llm-service.jar not found in "%LLM_SERVICE_BIN%..\lib" or "%LLM_SERVICE_BIN%" 1>&2
  echo hint: reinstall, or set LLM_SERVICE_JAR to the jar's path 1>&2
  exit /b 2
)

if defined JAVA_HOME (
  set "LLM_SERVICE_JAVA=%JAVA_HOME%\bin\java.exe"
) else (
  set "LLM_SERVICE_JAVA=java"
)

"%LLM_SERVICE_JAVA%" -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData %JAVA_OPTS% -jar "%LLM_SERVICE_JAR_PATH%" %*
exit /b %ERRORLEVEL%
