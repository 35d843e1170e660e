# Luot as a scheduled task that starts with Windows (the alternative to the WinSW service:
# nothing to download). Run in an administrator PowerShell:
#   powershell -ExecutionPolicy Bypass -File deploy\windows\install-task.ps1 -LuotDir C:\Luot
# Settings come from deploy\windows\luot.env.cmd (copy luot.env.cmd.example first).
# Note: Stop-ScheduledTask ends the process without Ctrl+C. That is safe for the data (WAL with
# synchronous=FULL: every acknowledged ticket is on disk), but prefer the WinSW service where a
# graceful stop matters.
param(
  [string]$LuotDir = "C:\Luot",
  [string]$NodeExe = "C:\Program Files\nodejs\node.exe",
  [string]$TaskName = "Luot"
)
$ErrorActionPreference = "Stop"
$envCmd = Join-Path $LuotDir "deploy\windows\luot.env.cmd"
if (-not (Test-Path $envCmd)) { throw "Create $envCmd from luot.env.cmd.example first" }
$main = Join-Path $LuotDir "apps\server\dist\src\main.js"
$cmdLine = "/c call `"$envCmd`" && `"$NodeExe`" `"$main`""

$action = New-ScheduledTaskAction -Execute "cmd.exe" -Argument $cmdLine -WorkingDirectory $LuotDir
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
  -ExecutionTimeLimit ([TimeSpan]::Zero) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable
$principal = New-ScheduledTaskPrincipal -UserId "SYSTEM" -LogonType ServiceAccount -RunLevel Highest
Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings -Principal $principal -Force | Out-Null

# Kiosks, counters and TVs reach the server on the LAN (Private profile only).
New-NetFirewallRule -DisplayName "Luot HTTP" -Direction Inbound -Protocol TCP -LocalPort 8080 -Action Allow -Profile Private -ErrorAction SilentlyContinue | Out-Null
New-NetFirewallRule -DisplayName "Luot discovery" -Direction Inbound -Protocol UDP -LocalPort 41234 -Action Allow -Profile Private -ErrorAction SilentlyContinue | Out-Null

Start-ScheduledTask -TaskName $TaskName
Write-Host "Luot task '$TaskName' registered and started. Check: http://127.0.0.1:8080/api/v1/health"
