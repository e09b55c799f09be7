using CouponDesk.Data;

namespace CouponDesk.Integrations.Snap;

/// <summary>
/// Tells <see cref="M202611250501SnapAgentTables"/> whether to create the agent's send table and under which name. In
/// production the agent's own installation created it (<c>Snap:CreateAgentTables=false</c>).
/// </summary>
public sealed record SnapAgentSchema(bool CreateTables, string SendTable) : IMigrationInput;
