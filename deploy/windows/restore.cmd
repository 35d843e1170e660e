@echo off
rem Restores a Luot backup. Stop the service first (sc stop luot).
rem The current database is kept in <data dir>\replaced\, never deleted.
rem   deploy\windows\restore.cmd <backup-file> [--skip-numbers N]
rem (--skip-numbers only when the current database is missing or unreadable: docs\operations.md)
setlocal
set "ROOT=%~dp0..\.."
if exist "%~dp0luot.env.cmd" call "%~dp0luot.env.cmd"
node "%ROOT%\apps\server\dist\src\cli\restore.js" %*
exit /b %ERRORLEVEL%
