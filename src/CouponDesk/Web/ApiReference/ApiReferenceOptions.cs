namespace CouponDesk.Web.ApiReference;

/// <summary>
/// The API reference (section <c>Docs</c>): <c>/openapi/v1.json</c> and the Scalar UI at <c>/docs</c>. Open in
/// Development and Testing; in Production off unless <see cref="Enabled"/>, and then for ADMINs only (issue 19, D-OPS-4).
/// </summary>
public sealed class ApiReferenceOptions
{
    public const string Section = "Docs";

    /// <summary>Whether the reference is served. Unset: everywhere but Production.</summary>
    public bool? Enabled { get; set; }
}
