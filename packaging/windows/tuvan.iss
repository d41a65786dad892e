; Inno Setup 6 script: per-user installer of the packaged program (no administrator rights).
;
;   python -m PyInstaller --noconfirm packaging\tuvan.spec          -> dist\tuvan\
;   iscc /DAppVersion=0.1.0 packaging\windows\tuvan.iss             -> dist\tuvan-0.1.0-windows-x64-setup.exe
;
; Installs into %LOCALAPPDATA%\Programs\TuVan, adds a Start-menu entry (and, if asked, a desktop
; shortcut) for tuvan-gui.exe, and registers an uninstaller under the user's "Apps" list.
; Languages: Vietnamese (first, so also the choice when Windows' language is neither) and English.
; Inno Setup ships no Vietnamese messages: Vietnamese.isl beside this file translates the ones a
; user sees (layered over Default.isl, so any message it lacks shows in English).
;
; Registers, backups, settings and logs are NOT in the program folder: the program keeps them in
; %LOCALAPPDATA%\TuVan (platformdirs' user data folder). The uninstaller removes only what it
; installed, so registers always survive an uninstall or an upgrade.
;
; This file is UTF-8 with a byte-order mark (Inno Setup reads non-ASCII text only so).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Tư Vấn"
; The repository root, relative to this file (ISPP strings take a backslash as it is).
#define Root "..\.."
; The PyInstaller folder to install (/DDistDir=... to take another one).
#ifndef DistDir
  #define DistDir Root + "\dist\tuvan"
#endif

[Setup]
AppId={{880196EC-369B-45FE-BD00-04B374013E8A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Tư Vấn
VersionInfoVersion={#AppVersion}
; Per user: no UAC prompt, nothing outside the user's profile.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\TuVan
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\tuvan-gui.exe
SetupIconFile={#Root}\resources\icons\tuvan.ico
OutputDir={#Root}\dist
OutputBaseFilename=tuvan-{#AppVersion}-windows-x64-setup
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; Close a running Tư Vấn before replacing its files (Windows Restart Manager).
CloseApplications=yes

[Languages]
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Messages]
vi.UninstalledAll=Đã gỡ %1 khỏi máy tính.%n%nSổ đăng ký, bản sao lưu và cài đặt trong thư mục AppData\Local\TuVan của bạn được giữ nguyên.
en.UninstalledAll=%1 was removed from your computer.%n%nYour registers, backups and settings in AppData\Local\TuVan have been kept.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole program folder, so no library of the previous version stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\tuvan-gui.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\tuvan-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\tuvan-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for %LOCALAPPDATA%\TuVan: registers are the user's data, never the program's.
