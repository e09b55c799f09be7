namespace CouponDesk.Integrations.Snap;

/// <summary>One reason a message would fail at the gateway: which message (input index), which field, a stable code, a Korean message.</summary>
public sealed record MmsProblem(int Index, string Field, string Code, string Message);

/// <summary>
/// A batch was refused before anything was written. The exception message holds only codes and indexes, never the
/// phone number or text, so it is safe to log.
/// </summary>
public sealed class MmsValidationException(IReadOnlyList<MmsProblem> problems)
    : Exception($"MMS refused before hand-off: {string.Join("; ", problems.Take(10).Select(p => $"#{p.Index} {p.Field} {p.Code}"))}")
{
    public IReadOnlyList<MmsProblem> Problems { get; } = problems;
}

/// <summary>The database's <c>NOW()</c> is not in the zone the agent expects: a reservation would go out at the wrong time.</summary>
public sealed class AgentClockMismatchException(int expectedMinutes, int actualMinutes)
    : Exception($"The database clock is UTC{actualMinutes / 60.0:+0.##;-0.##} but the agent expects UTC{expectedMinutes / 60.0:+0.##;-0.##}; reservations refused (spec/snap-agent.md §5).");

/// <summary>Stable codes of <see cref="MmsProblem"/>.</summary>
public static class MmsProblemCodes
{
    public const string TitleEmpty = "mms_title_empty";
    public const string TitleTooLong = "mms_title_too_long";
    public const string BodyEmpty = "mms_body_empty";
    public const string BodyTooLong = "mms_body_too_long";
    public const string Unencodable = "mms_text_not_euc_kr";
    public const string MergeVariable = "mms_text_merge_variable";
    public const string PhoneInvalid = "mms_phone_invalid";
    public const string CallbackFormat = "mms_callback_format";
    public const string CallbackUnregistered = "mms_callback_unregistered";
    public const string NoImage = "mms_image_required";
    public const string TooManyImages = "mms_image_too_many";
    public const string ImageOutsideDirectory = "mms_image_not_staged";
    public const string ImageNotJpgName = "mms_image_not_jpg";
    public const string ImageMissing = "mms_image_missing";
    public const string ImageTooLarge = "mms_image_too_large";
    public const string ImageTooManyPixels = "mms_image_too_many_pixels";
    public const string ImageNotJpeg = "mms_image_not_jpeg";
    public const string ImageCorrupt = "mms_image_corrupt";
    public const string FileListTooLong = "mms_file_list_too_long";
    public const string AttemptInvalid = "mms_attempt_invalid";
    public const string TypeInvalid = "mms_type_invalid";
}
