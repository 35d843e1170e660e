@echo off
rem Takes one backup of the Luot database now (safe while the server runs).
rem   deploy\windows\backup.cmd [--to DIR] [--keep N]
rem Reads LUOT_DATA_DIR, LUOT_BACKUP_DIR, LUOT_BACKUP_KEEP (set them in luot.env.cmd).
setlocal
set "ROOT=%~dp0..\.."
if exist "%~dp0luot.env.cmd" call "%~dp0luot.env.cmd"
node "%ROOT%\apps\server\dist\src\cli\backup.js" %*
exit /b %ERRORLEVEL%
