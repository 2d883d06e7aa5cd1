; Inno Setup script: the Windows installer of 检查工作台 (inspector-app).
;
; Built by the Windows workflow (installer/ci/windows-build.yml) from the PyInstaller one-folder
; bundle:   iscc /DAppVersion=0.1.0 /DSourceDir=..\dist\inspector-app installer\windows\inspector-app.iss
;
; * Per user, no administrator rights: PrivilegesRequired=lowest, installed below
;   %LOCALAPPDATA%\Programs\inspector-app; Start-menu and desktop shortcuts for this user only.
; * Upgrades in place: the AppId below never changes, so a newer setup finds the old installation,
;   replaces the program files in the same folder (closing a running copy first) and keeps settings.
; * The workspace is NOT in the install folder. It lives in the user data folder chosen by
;   platformdirs (%LOCALAPPDATA%\inspector-app\workspace), which this script never names: neither
;   install nor uninstall touches it, and there is deliberately no [UninstallDelete] section. The
;   next version migrates the database there after making a backup (see installer/README.md).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\inspector-app"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "检查工作台"
#define AppNameEn "inspector-app"
#define AppExe "inspector-app.exe"

[Setup]
; NEVER change the AppId: it is how an upgrade finds the installed copy. (The first "{" escapes the brace.)
AppId={{6F1C2B7E-9A4D-4E61-B3C8-2D5A7E9F0C14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=inspector-app
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per-user install without UAC prompt; {autoprograms}/{autodesktop} then mean this user's folders.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppNameEn}
UsePreviousAppDir=yes
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; An upgrade while the app is open: ask to close it (the database is safe, every answer is committed).
CloseApplications=yes
RestartApplications=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename={#AppNameEn}-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
#if FileExists(AddBackslash(SourcePath) + "..\..\resources\icons\inspector-app.ico")
SetupIconFile=..\..\resources\icons\inspector-app.ico
#endif

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
; Checked by default: inspectors start the app from the desktop.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; Upgrade in place: the previous version's program files go first, so no stale module of an older
; build is left next to the new one. Only the program folder {app}; never the user data folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autoprograms}\{#AppName} 自检 (self-test)"; Filename: "{cmd}"; Parameters: "/k ""{app}\inspector-app-console.exe"" --self-test"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
