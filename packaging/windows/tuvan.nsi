; NSIS 3 script: the per-user Windows installer of the packaged program (no administrator rights).
;
;   make windows-dist   (packaging/windows/installer.py: PyInstaller under Wine, then Debian's makensis)
;   makensis -DVERSION=0.1.0 -DDISTDIR=dist/windows/tuvan -DOUTFILE=dist/tuvan-0.1.0-windows-x64-setup.exe \
;            packaging/windows/tuvan.nsi
;
; A 64-bit installer (Target amd64-unicode) made by the native Linux makensis: it needs no 32-bit
; Wine to build or to run (docs/packaging.md, "Why NSIS"). Installs into
; %LOCALAPPDATA%\Programs\TuVan, a Start-menu entry and (if ticked) a desktop shortcut for
; tuvan-gui.exe, and an uninstaller in the user's "Apps" list. Vietnamese first, English second.
;
; Registers, backups, settings and logs are NOT in the program folder: the program keeps them in
; %LOCALAPPDATA%\TuVan. Install, upgrade and uninstall touch only the program's own files:
; _internal\, tuvan.exe, tuvan-gui.exe, uninstall.exe. Anything else found in the program folder
; is kept (moved into the new folder on an upgrade).
;
; Changing nothing on failure: the new program is unpacked into "<folder>.new" beside the target
; and swapped in with two renames only when it is complete, so a full disk, a cancelled install
; or a power cut leaves the previous program as it was.
;
; Exit codes of a silent install (/S): 0 done; 2 cancelled or failed; 3 a newer version is
; installed; 4 another installer is running; 5 cannot write to the folder; 6 Tư Vấn is running;
; 7 the folder holds other files.
;
; This file is UTF-8 with a byte-order mark (makensis reads it as UTF-8 so).

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 32

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef DISTDIR
  !define DISTDIR "../../dist/windows/tuvan"
!endif
!ifndef OUTFILE
  !define OUTFILE "../../dist/tuvan-${VERSION}-windows-x64-setup.exe"
!endif
; makensis works in this file's folder, so relative paths start here.
!define ICON "../../resources/icons/tuvan.ico"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\TuVan"
; Created by the running program (app/core/program_mark.py).
!define PROGRAM_MUTEX "Local\TuVan.Program"
!define SETUP_MUTEX "Local\TuVan.Setup"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WordFunc.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

Name "Tư Vấn"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\TuVan"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "Tư Vấn ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Tư Vấn"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Tư Vấn ${VERSION} setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "Tư Vấn"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${UNINSTALL_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\tuvan-gui.exe"
!define MUI_UNFINISHPAGE_NOAUTOCLOSE

!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckFolder
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "$(KeptOnUninstall)"
!insertmacro MUI_UNPAGE_FINISH

; Vietnamese first: the choice when Windows' language is neither of the two.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString SecProgram ${LANG_VIETNAMESE} "Chương trình Tư Vấn"
LangString SecProgram ${LANG_ENGLISH} "Tư Vấn program"
LangString SecDesktop ${LANG_VIETNAMESE} "Lối tắt trên màn hình nền"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString NewerInstalled ${LANG_VIETNAMESE} "Máy này đã có Tư Vấn $R1, mới hơn bản $R0 của trình cài đặt này.$\r$\n$\r$\nKhông cài gì cả. Nếu muốn dùng bản cũ hơn, hãy gỡ Tư Vấn $R1 trước (sổ đăng ký và bản sao lưu được giữ nguyên)."
LangString NewerInstalled ${LANG_ENGLISH} "Tư Vấn $R1 is installed, which is newer than version $R0 in this installer.$\r$\n$\r$\nNothing was installed. To use the older version, uninstall Tư Vấn $R1 first (registers and backups are kept)."
LangString SetupRunning ${LANG_VIETNAMESE} "Trình cài đặt Tư Vấn đang chạy ở một cửa sổ khác. Hãy dùng cửa sổ đó hoặc đóng nó rồi chạy lại."
LangString SetupRunning ${LANG_ENGLISH} "The Tư Vấn installer is already running in another window. Use that window, or close it and start again."
LangString ProgramRunning ${LANG_VIETNAMESE} "Tư Vấn đang mở. Hãy đóng mọi cửa sổ Tư Vấn (công việc đã lưu sẵn), rồi bấm Thử lại.$\r$\n$\r$\nBấm Hủy để thoát mà không thay đổi gì."
LangString ProgramRunning ${LANG_ENGLISH} "Tư Vấn is open. Close every Tư Vấn window (your work is already saved), then click Retry.$\r$\n$\r$\nClick Cancel to stop without changing anything."
LangString CannotWrite ${LANG_VIETNAMESE} "Không ghi được vào thư mục:$\r$\n$0$\r$\n$\r$\nTài khoản Windows này không có quyền ghi ở đó, hoặc ổ đĩa đã đầy hay đã bị rút ra. Không có gì bị thay đổi. Hãy chọn một thư mục trong thư mục người dùng của bạn (mặc định là $LOCALAPPDATA\Programs\TuVan)."
LangString CannotWrite ${LANG_ENGLISH} "Cannot write to the folder:$\r$\n$0$\r$\n$\r$\nThis Windows account may not write there, or the drive is full or was removed. Nothing was changed. Choose a folder inside your user folder (the default is $LOCALAPPDATA\Programs\TuVan)."
LangString ForeignFolder ${LANG_VIETNAMESE} "Thư mục này đã có những tệp khác, không phải của Tư Vấn:$\r$\n$0$\r$\n$\r$\nHãy chọn một thư mục trống hoặc thư mục Tư Vấn đã cài trước đây."
LangString ForeignFolder ${LANG_ENGLISH} "This folder already holds other files that are not Tư Vấn's:$\r$\n$0$\r$\n$\r$\nChoose an empty folder or the folder of an earlier Tư Vấn."
LangString SwapFailed ${LANG_VIETNAMESE} "Không thay được chương trình trong $INSTDIR (có thể một tệp của nó đang mở). Bản đã cài trước vẫn giữ nguyên. Hãy đóng Tư Vấn và chạy lại trình cài đặt."
LangString SwapFailed ${LANG_ENGLISH} "Could not replace the program in $INSTDIR (one of its files may be open). The installed version is unchanged. Close Tư Vấn and run the installer again."
LangString KeptOnUninstall ${LANG_VIETNAMESE} "Đã gỡ Tư Vấn khỏi máy tính.$\r$\n$\r$\nSổ đăng ký, bản sao lưu và cài đặt của bạn trong thư mục AppData\Local\TuVan được giữ nguyên."
LangString KeptOnUninstall ${LANG_ENGLISH} "Tư Vấn was removed from your computer.$\r$\n$\r$\nYour registers, backups and settings in AppData\Local\TuVan have been kept."

Var Stage
Var Previous

; --- checks before anything is changed ------------------------------------------------------------

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Tư Vấn: Windows 10/11 64-bit." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  SetRegView 64
  !insertmacro MUI_LANGDLL_DISPLAY
  System::Call 'kernel32::CreateMutexW(p 0, i 0, w "${SETUP_MUTEX}") p .r0 ?e'
  Pop $1
  ${If} $1 = 183  ; ERROR_ALREADY_EXISTS
    MessageBox MB_ICONEXCLAMATION "$(SetupRunning)" /SD IDOK
    SetErrorLevel 4
    Quit
  ${EndIf}
  ; NSIS drops a /D= folder whose drive is missing (a removed USB stick) and would install into the
  ; default folder instead, without a word: refuse, naming the folder asked for.
  System::Call 'kernel32::GetCommandLineW() w .R2'  ; NSIS cuts /D= from its own $CMDLINE
  ClearErrors
  ${GetOptions} $R2 "/D=" $0
  ${IfNot} ${Errors}
  ${AndIf} $0 != $INSTDIR
    MessageBox MB_ICONSTOP "$(CannotWrite)" /SD IDOK
    SetErrorLevel 5
    Quit
  ${EndIf}
  ReadRegStr $R1 HKCU "${UNINSTALL_KEY}" "DisplayVersion"
  ${If} $R1 != ""
    StrCpy $R0 "${VERSION}"
    ${VersionCompare} "${VERSION}" "$R1" $2
    ${If} $2 = 2  ; the installed one is newer
      MessageBox MB_ICONSTOP "$(NewerInstalled)" /SD IDOK
      SetErrorLevel 3
      Quit
    ${EndIf}
  ${EndIf}
FunctionEnd

; $0 = folder; sets $1 to "ours" (empty, missing, or an earlier Tư Vấn) or "foreign".
Function ClassifyFolder
  StrCpy $1 "ours"
  ${IfNot} ${FileExists} "$0\*.*"
    Return
  ${EndIf}
  ${If} ${FileExists} "$0\tuvan.exe"
    Return
  ${EndIf}
  FindFirst $2 $3 "$0\*.*"
  ${DoWhile} $3 != ""
    ${If} $3 != "."
    ${AndIf} $3 != ".."
      StrCpy $1 "foreign"
      ${Break}
    ${EndIf}
    FindNext $2 $3
  ${Loop}
  FindClose $2
FunctionEnd

; $0 = folder; sets $1 to "yes" when its drive is there (a removed USB stick, an unmapped letter: "no").
; NSIS itself ends a silent install into a missing drive with exit code 0 and nothing done.
Function DriveThere
  ${GetRoot} $0 $2
  StrCpy $1 "yes"
  ${IfNot} ${FileExists} "$2\*.*"
    StrCpy $1 "no"
  ${EndIf}
FunctionEnd

Function CheckFolder
  StrCpy $0 $INSTDIR
  Call DriveThere
  ${If} $1 == "no"
    MessageBox MB_ICONEXCLAMATION "$(CannotWrite)" /SD IDOK
    Abort
  ${EndIf}
  Call ClassifyFolder
  ${If} $1 == "foreign"
    MessageBox MB_ICONEXCLAMATION "$(ForeignFolder)" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

; Asks until every Tư Vấn is closed; Cancel ends the installer (or uninstaller) with nothing changed.
!macro WAIT_UNTIL_CLOSED prefix
Function ${prefix}WaitUntilClosed
  again:
    System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "${PROGRAM_MUTEX}") p .r0'
    ${If} $0 = 0
      Return
    ${EndIf}
    System::Call 'kernel32::CloseHandle(p r0)'
    MessageBox MB_ICONEXCLAMATION|MB_RETRYCANCEL "$(ProgramRunning)" /SD IDCANCEL IDRETRY again
    SetErrorLevel 6
    Quit
FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

; --- the program --------------------------------------------------------------------------------

Section "!$(SecProgram)" SecProgram
  SectionIn RO
  SetRegView 64
  StrCpy $0 $INSTDIR
  Call ClassifyFolder
  ${If} $1 == "foreign"
    MessageBox MB_ICONSTOP "$(ForeignFolder)" /SD IDOK
    SetErrorLevel 7
    Quit
  ${EndIf}
  Call WaitUntilClosed

  ; 1. Unpack everything into <folder>.new; any failure leaves the installed program alone.
  StrCpy $Stage "$INSTDIR.new"
  StrCpy $Previous "$INSTDIR.old"
  RMDir /r $Stage
  RMDir /r $Previous
  ClearErrors
  CreateDirectory $Stage
  ${If} ${Errors}
    StrCpy $0 $INSTDIR
    MessageBox MB_ICONSTOP "$(CannotWrite)" /SD IDOK
    SetErrorLevel 5
    Quit
  ${EndIf}
  SetOutPath $Stage
  SetOverwrite on
  ClearErrors
  File /r "${DISTDIR}/*"
  WriteUninstaller "$Stage\uninstall.exe"
  ${If} ${Errors}
    SetOutPath $TEMP
    RMDir /r $Stage
    StrCpy $0 $INSTDIR
    MessageBox MB_ICONSTOP "$(CannotWrite)" /SD IDOK
    SetErrorLevel 5
    Quit
  ${EndIf}
  SetOutPath $TEMP  ; no folder being renamed may be the current directory

  ; 2. Swap: the old program aside, the new one in, then the user's own files back.
  ${If} ${FileExists} "$INSTDIR\*.*"
    ClearErrors
    Rename $INSTDIR $Previous
    ${If} ${Errors}
      RMDir /r $Stage
      MessageBox MB_ICONSTOP "$(SwapFailed)" /SD IDOK
      SetErrorLevel 6
      Quit
    ${EndIf}
  ${EndIf}
  ClearErrors
  Rename $Stage $INSTDIR
  ${If} ${Errors}
    Rename $Previous $INSTDIR
    RMDir /r $Stage
    MessageBox MB_ICONSTOP "$(SwapFailed)" /SD IDOK
    SetErrorLevel 6
    Quit
  ${EndIf}
  ${If} ${FileExists} "$Previous\*.*"
    FindFirst $2 $3 "$Previous\*.*"
    ${DoWhile} $3 != ""
      ${If} $3 != "."
      ${AndIf} $3 != ".."
      ${AndIf} $3 != "_internal"
      ${AndIf} $3 != "tuvan.exe"
      ${AndIf} $3 != "tuvan-gui.exe"
      ${AndIf} $3 != "uninstall.exe"
        Rename "$Previous\$3" "$INSTDIR\$3"
      ${EndIf}
      FindNext $2 $3
    ${Loop}
    FindClose $2
    RMDir /r $Previous
  ${EndIf}
  SetOutPath $INSTDIR

  CreateShortCut "$SMPROGRAMS\Tư Vấn.lnk" "$INSTDIR\tuvan-gui.exe" "" "$INSTDIR\tuvan-gui.exe" 0
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Tư Vấn"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Tư Vấn"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\tuvan-gui.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecDesktop)" SecDesktop
  CreateShortCut "$DESKTOP\Tư Vấn.lnk" "$INSTDIR\tuvan-gui.exe" "" "$INSTDIR\tuvan-gui.exe" 0
SectionEnd

; --- the uninstaller: only the program's own files ------------------------------------------------

Function un.onInit
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  SetRegView 64
  Call un.WaitUntilClosed
  SetOutPath $TEMP
  Delete "$SMPROGRAMS\Tư Vấn.lnk"
  Delete "$DESKTOP\Tư Vấn.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\tuvan.exe"
  Delete "$INSTDIR\tuvan-gui.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir $INSTDIR  ; only if nothing else is left in it
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; No line here touches %LOCALAPPDATA%\TuVan: registers are the user's data, never the program's.
SectionEnd
