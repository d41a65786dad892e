; Vietnamese messages for Inno Setup 6 (Tư Vấn installer). Inno Setup has no official Vietnamese
; translation; this one is written for this project and covers the messages a user of a per-user
; install and uninstall sees. tuvan.iss layers it over Default.isl
; (MessagesFile: "compiler:Default.isl,Vietnamese.isl"), so any message missing here shows in
; English instead of failing the build. Placeholders (%1, %2, %n, [name], [name/ver], [mb], [gb])
; are the same as in Default.isl. UTF-8 with a byte-order mark.

[LangOptions]
LanguageName=Tiếng Việt
LanguageID=$042A
LanguageCodePage=0

[Messages]
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt - %1
UninstallAppTitle=Gỡ cài đặt
UninstallAppFullTitle=Gỡ cài đặt %1
InformationTitle=Thông tin
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi
SetupLdrStartupMessage=Chương trình này sẽ cài đặt %1. Bạn có muốn tiếp tục không?
SetupAppRunningError=Trình cài đặt thấy %1 đang chạy.%n%nHãy đóng mọi cửa sổ của chương trình rồi nhấn Đồng ý để tiếp tục, hoặc Hủy để thoát.
UninstallAppRunningError=Trình gỡ cài đặt thấy %1 đang chạy.%n%nHãy đóng mọi cửa sổ của chương trình rồi nhấn Đồng ý để tiếp tục, hoặc Hủy để thoát.
WindowsVersionNotSupported=Chương trình này không hỗ trợ phiên bản Windows trên máy tính của bạn.
WinVersionTooLowError=Chương trình này cần %1 phiên bản %2 trở lên.
OnlyOnTheseArchitectures=Chương trình này chỉ cài được trên các phiên bản Windows dành cho những loại bộ xử lý sau:%n%n%1
DirExistsTitle=Thư mục đã có
DirExists=Thư mục:%n%n%1%n%nđã có. Bạn vẫn muốn cài vào thư mục đó?
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Cài đặt chưa xong. Nếu thoát bây giờ, chương trình sẽ không được cài đặt.%n%nBạn có thể chạy lại trình cài đặt vào lúc khác để cài xong.%n%nThoát cài đặt?
AboutSetupMenuItem=&Giới thiệu trình cài đặt...
AboutSetupTitle=Giới thiệu trình cài đặt
ButtonBack=< &Quay lại
ButtonNext=&Tiếp theo >
ButtonInstall=&Cài đặt
ButtonOK=Đồng ý
ButtonCancel=Hủy
ButtonYes=&Có
ButtonYesToAll=Có với &tất cả
ButtonNo=&Không
ButtonNoToAll=Khô&ng với tất cả
ButtonFinish=&Hoàn tất
ButtonBrowse=&Duyệt...
ButtonWizardBrowse=D&uyệt...
ButtonNewFolder=&Tạo thư mục mới
SelectLanguageTitle=Chọn ngôn ngữ cài đặt
SelectLanguageLabel=Chọn ngôn ngữ dùng trong khi cài đặt.
ClickNext=Nhấn Tiếp theo để tiếp tục, hoặc Hủy để thoát cài đặt.
BrowseDialogTitle=Chọn thư mục
BrowseDialogLabel=Chọn một thư mục trong danh sách dưới đây rồi nhấn Đồng ý.
NewFolderName=Thư mục mới
WelcomeLabel1=Chào mừng bạn đến với trình cài đặt [name]
WelcomeLabel2=Chương trình này sẽ cài đặt [name/ver] vào máy tính của bạn.%n%nBạn nên đóng mọi ứng dụng khác trước khi tiếp tục.
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài đặt [name] vào đâu?
SelectDirLabel3=Trình cài đặt sẽ cài [name] vào thư mục sau.
SelectDirBrowseLabel=Nhấn Tiếp theo để tiếp tục. Nếu muốn chọn thư mục khác, hãy nhấn Duyệt.
DiskSpaceGBLabel=Cần ít nhất [gb] GB dung lượng trống trên ổ đĩa.
DiskSpaceMBLabel=Cần ít nhất [mb] MB dung lượng trống trên ổ đĩa.
WizardSelectTasks=Chọn việc làm thêm
SelectTasksDesc=Trình cài đặt cần làm thêm những việc nào?
SelectTasksLabel2=Chọn những việc trình cài đặt sẽ làm thêm khi cài [name], rồi nhấn Tiếp theo.
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Trình cài đặt đã sẵn sàng cài [name] vào máy tính của bạn.
ReadyLabel2a=Nhấn Cài đặt để bắt đầu, hoặc Quay lại nếu muốn xem lại hay thay đổi lựa chọn.
ReadyLabel2b=Nhấn Cài đặt để bắt đầu.
ReadyMemoDir=Nơi cài đặt:
ReadyMemoGroup=Thư mục trong menu Start:
ReadyMemoTasks=Việc làm thêm:
WizardPreparing=Chuẩn bị cài đặt
PreparingDesc=Trình cài đặt đang chuẩn bị cài [name] vào máy tính của bạn.
ApplicationsFound=Các ứng dụng sau đang dùng những tệp mà trình cài đặt cần cập nhật. Bạn nên để trình cài đặt tự đóng các ứng dụng này.
ApplicationsFound2=Các ứng dụng sau đang dùng những tệp mà trình cài đặt cần cập nhật. Bạn nên để trình cài đặt tự đóng các ứng dụng này. Cài xong, trình cài đặt sẽ thử mở lại chúng.
CloseApplications=&Tự động đóng các ứng dụng
DontCloseApplications=&Không đóng các ứng dụng
WizardInstalling=Đang cài đặt
InstallingLabel=Vui lòng chờ trong khi trình cài đặt cài [name] vào máy tính của bạn.
FinishedHeadingLabel=Hoàn tất cài đặt [name]
FinishedLabelNoIcons=Đã cài xong [name] vào máy tính của bạn.
FinishedLabel=Đã cài xong [name] vào máy tính của bạn. Có thể mở chương trình bằng các lối tắt vừa tạo.
ClickFinish=Nhấn Hoàn tất để đóng trình cài đặt.
StatusClosingApplications=Đang đóng các ứng dụng...
StatusCreateDirs=Đang tạo thư mục...
StatusExtractFiles=Đang chép tệp...
StatusCreateIcons=Đang tạo lối tắt...
StatusSavingUninstall=Đang lưu thông tin gỡ cài đặt...
StatusRunProgram=Đang hoàn tất cài đặt...
StatusRestartingApplications=Đang mở lại các ứng dụng...
StatusRollback=Đang hoàn tác các thay đổi...
SetupAborted=Cài đặt chưa xong.%n%nHãy khắc phục sự cố rồi chạy lại trình cài đặt.
ConfirmUninstall=Bạn có chắc muốn gỡ hoàn toàn %1 và mọi thành phần của nó không?
UninstallStatusLabel=Vui lòng chờ trong khi %1 được gỡ khỏi máy tính của bạn.
UninstalledAll=Đã gỡ %1 khỏi máy tính của bạn.
UninstalledMost=Đã gỡ xong %1.%n%nCòn một số thành phần không gỡ được; bạn có thể tự xóa chúng.
WizardUninstalling=Tình trạng gỡ cài đặt
StatusUninstalling=Đang gỡ %1...

[CustomMessages]
NameAndVersion=%1 phiên bản %2
AdditionalIcons=Lối tắt khác:
CreateDesktopIcon=Tạo lối tắt trên &màn hình nền
CreateQuickLaunchIcon=Tạo lối tắt &Quick Launch
ProgramOnTheWeb=%1 trên web
UninstallProgram=Gỡ cài đặt %1
LaunchProgram=Mở %1
AssocFileExtension=&Liên kết %1 với đuôi tệp %2
AssocingFileExtension=Đang liên kết %1 với đuôi tệp %2...
AutoStartProgramGroupDescription=Khởi động:
AutoStartProgram=Tự động chạy %1
AddonHostProgramNotFound=Không tìm thấy %1 trong thư mục bạn chọn.%n%nBạn vẫn muốn tiếp tục?
