namespace CouponDesk.Web.Errors;

/// <summary>Stable, English error codes shared by every endpoint. Feature-specific codes live beside their feature.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string MalformedBody = "malformed_body";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string PayloadTooLarge = "payload_too_large";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string TooManyRequests = "too_many_requests";
    public const string Internal = "internal_error";
}
