using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace CouponDesk.Features.Settings;

public enum SettingKind
{
    Number,
    Switch,
    Choice,
    SecretUrl,
}

/// <summary>
/// One setting of spec §3.11: the configuration key it overrides, the options class and property that hold it (whose
/// data annotations are the one statement of its valid range), and how the page shows it.
/// </summary>
public sealed record SettingDefinition(string Section, Type OptionsType, string Property, string Label, string Group, SettingKind Kind)
{
    public string Key => $"{Section}:{Property}";

    /// <summary>Unit shown after the field, and the value meaning "off" (0) when the setting has one.</summary>
    public string? Unit { get; init; }

    public string? OffLabel { get; init; }

    public IReadOnlyList<(string Value, string Label)> Choices { get; init; } = [];

    /// <summary>False for settings whose feature is not built yet: stored, validated and audited, but not on the page.</summary>
    public bool Visible { get; init; } = true;

    public PropertyInfo PropertyInfo => OptionsType.GetProperty(Property) ?? throw new InvalidOperationException($"{OptionsType.Name} has no {Property}");

    public RangeAttribute? Range => PropertyInfo.GetCustomAttribute<RangeAttribute>();
}
