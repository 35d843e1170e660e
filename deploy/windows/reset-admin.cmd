@echo off
rem Sets a new password for a Luot admin account (creates "admin" if there is none) and signs it
rem out everywhere. For a forgotten admin password; the service may be running or stopped.
rem   deploy\windows\reset-admin.cmd [--user NAME] [--password-stdin]
rem Reads LUOT_DATA_DIR (set it in luot.env.cmd).
setlocal
set "ROOT=%~dp0..\.."
if exist "%~dp0luot.env.cmd" call "%~dp0luot.env.cmd"
node "%ROOT%\apps\server\dist\src\cli\reset-admin.js" %*
exit /b %ERRORLEVEL%
