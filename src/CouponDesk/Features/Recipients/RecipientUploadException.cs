using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// A whole upload refused (empty, too large, too many rows, unreadable, wrong format …). Carries the problem to answer;
/// nothing has been stored when it is thrown.
/// </summary>
public sealed class RecipientUploadException(ApiProblem problem) : Exception(problem.Detail)
{
    public ApiProblem Problem { get; } = problem;
}

/// <summary>The Korean messages of whole-file refusals (spec §3.2.3; "(added)" ones are ours).</summary>
public static class UploadProblems
{
    public static ApiProblem Empty() => Bad("upload_empty", "업로드된 파일이 비어 있습니다.");

    public static ApiProblem TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "upload_too_large", "Payload too large", $"파일 크기는 {maxBytes / (1024 * 1024)}MB 이하만 가능합니다.");

    public static ApiProblem TooManyRows(int maxRows) =>
        Bad("upload_too_many_rows", $"대량 업로드 가능 휴대폰 번호 개수는 {maxRows:N0}건입니다. 확인 후 재업로드 하세요.");

    public static ApiProblem TooManyQuickEntryRows(int max) =>
        Bad("quick_entry_too_many_rows", $"{max}개까지만 입력이 가능합니다.");

    public static ApiProblem QuickEntryEmpty() => Bad("quick_entry_empty", "간편등록에 수신자 휴대폰 번호를 입력해주세요.");

    public static ApiProblem LegacyXls() =>
        Bad("upload_xls_not_supported", "엑셀 97-2003(.xls) 형식은 지원하지 않습니다. .xlsx 또는 .csv로 저장한 뒤 업로드하세요.");

    public static ApiProblem UnsupportedType() =>
        Bad("upload_unsupported_type", "지원하지 않는 파일 형식입니다. .xlsx 또는 .csv 파일을 업로드하세요.");

    public static ApiProblem ContentMismatch(string extension) =>
        Bad("upload_content_mismatch", $"파일 내용이 {extension} 형식이 아닙니다. 엑셀에서 .xlsx 또는 .csv로 다시 저장한 뒤 업로드하세요.");

    public static ApiProblem Unreadable() =>
        Bad("upload_unreadable", "파일을 읽을 수 없습니다. 파일이 손상되었는지 확인하고 .xlsx 또는 .csv로 다시 저장한 뒤 업로드하세요.");

    public static ApiProblem ZipBomb() =>
        Bad("upload_unreadable", "파일의 압축을 푼 크기가 허용 한도를 넘습니다. 수신자 목록만 담은 .xlsx 또는 .csv 파일을 업로드하세요.");

    public static ApiProblem SheetTooLarge() =>
        Bad("upload_sheet_too_large", "시트의 크기(행·열 범위)가 수신자 목록으로 보기에 너무 큽니다. 수신자 목록만 첫 번째 시트에 담아 다시 저장한 뒤 업로드하세요.");

    public static ApiProblem MixedEncoding() =>
        Bad("upload_mixed_encoding", "파일에 서로 다른 문자 인코딩(UTF-8과 CP949)이 섞여 있습니다. 한 가지 인코딩으로 다시 저장한 뒤 업로드하세요.");

    public static ApiProblem UnknownEncoding() =>
        Bad("upload_unknown_encoding", "파일의 문자 인코딩을 인식할 수 없습니다. UTF-8 또는 CP949(EUC-KR)로 저장한 CSV 파일을 업로드하세요.");

    public static ApiProblem NoPhoneColumn() =>
        Bad("upload_no_phone_column", "휴대폰 번호 열을 찾을 수 없습니다. 첫 번째 열에 휴대폰 번호를 입력하거나 '휴대폰번호' 머리글을 사용하세요.");

    public static ApiProblem FileNameRequired() =>
        Bad("upload_file_name_required", "파일 이름(fileName)을 함께 보내 주세요. 확장자로 .xlsx 또는 .csv가 필요합니다.");

    private static ApiProblem Bad(string code, string detail) => new(StatusCodes.Status400BadRequest, code, "Upload refused", detail);
}
