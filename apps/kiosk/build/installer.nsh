; Placeholder include for the NSIS installer (electron-builder.yml: nsis.include).
; The first Windows deployment adds a page asking for the server URL, the kiosk device token and
; the printer, and writes them to $APPDATA\Luot Kiosk\kiosk.json in the format described in
; docs/deployment.md. Until then the technician writes kiosk.json by hand after installing.
!macro customInstall
!macroend
