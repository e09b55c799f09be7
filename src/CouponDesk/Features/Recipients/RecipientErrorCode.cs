namespace CouponDesk.Features.Recipients;

/// <summary>Per-row reasons (spec §3.2.3: codes from the prototype, Korean labels from its screens).</summary>
public enum RecipientErrorCode
{
    InvalidPhoneFormat,
    DuplicateInFile,
    NameTooLong,
    InvalidCharacters,
}

public static class RecipientErrorCodes
{
    public static string Code(this RecipientErrorCode code) => code switch
    {
        RecipientErrorCode.InvalidPhoneFormat => "INVALID_PHONE_FORMAT",
        RecipientErrorCode.DuplicateInFile => "DUPLICATE_IN_FILE",
        RecipientErrorCode.NameTooLong => "NAME_TOO_LONG",
        RecipientErrorCode.InvalidCharacters => "INVALID_CHARACTERS",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    public static string Label(this RecipientErrorCode code) => code switch
    {
        RecipientErrorCode.InvalidPhoneFormat => "전화번호 형식 오류",
        RecipientErrorCode.DuplicateInFile => "파일 내 중복",
        RecipientErrorCode.NameTooLong => "이름 길이 초과(50자)",
        RecipientErrorCode.InvalidCharacters => "허용되지 않은 문자",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    public static string LabelOf(string code) => code switch
    {
        "INVALID_PHONE_FORMAT" => RecipientErrorCode.InvalidPhoneFormat.Label(),
        "DUPLICATE_IN_FILE" => RecipientErrorCode.DuplicateInFile.Label(),
        "NAME_TOO_LONG" => RecipientErrorCode.NameTooLong.Label(),
        "INVALID_CHARACTERS" => RecipientErrorCode.InvalidCharacters.Label(),
        _ => code,
    };
}
