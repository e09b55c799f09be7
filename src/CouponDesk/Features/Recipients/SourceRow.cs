namespace CouponDesk.Features.Recipients;

/// <summary>One row of an uploaded sheet as text: its 1-based row number as the operator sees it, and its cells.</summary>
public sealed record SourceRow(int Number, string?[] Cells)
{
    /// <summary>Cells beyond this are ignored: a recipient list has two columns, a sheet may have a few notes.</summary>
    public const int MaxCells = 32;

    public string? Cell(int index) => index >= 0 && index < Cells.Length ? Cells[index] : null;

    public bool IsEmpty => Cells.All(string.IsNullOrWhiteSpace);
}
