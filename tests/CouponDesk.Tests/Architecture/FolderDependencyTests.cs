using System.Text.RegularExpressions;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/architecture.md: no cycle between the back office's folders — each <c>Features/*</c> folder,
/// each <c>Integrations/*</c> folder, and <c>Security</c>, <c>Web</c>, <c>Data</c>, <c>Hosting</c>, <c>Commands</c>. The
/// composition root (<c>Program.cs</c>, <c>Hosting/CouponDeskHost.cs</c>) wires everything and is left out. A folder
/// depends on another when one of its files names the other's namespace (a <c>using</c>, a qualified name, or — inside
/// <c>CouponDesk.Features</c> — a sibling's name such as <c>Pipeline.ItemStatus</c>); comments do not count.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void No_cycle_between_folders()
    {
        var graph = FolderGraph.Read(RepositoryPaths.Path("src", "CouponDesk"));
        Assert.True(graph.Edges.Count > 10, "the scan found almost no dependencies; is the source path right?");
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "Folder dependency cycles (break each by moving what causes it, see docs/architecture.md):\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void A_cycle_is_reported_with_its_path_and_the_files_that_cause_it()
    {
        var graph = new FolderGraph();
        graph.Add("Features/Campaigns", "Features/Pipeline", "SendTimeRules.cs");
        graph.Add("Features/Pipeline", "Features/Campaigns", "CampaignLifecycle.cs");
        graph.Add("Features/Pipeline", "Data", "LeaseClaim.cs");
        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal("Features/Campaigns -> Features/Pipeline (SendTimeRules.cs) -> Features/Campaigns (CampaignLifecycle.cs)", cycle);
    }

    /// <summary>Folders and the files by which one depends on another.</summary>
    private sealed partial class FolderGraph
    {
        private static readonly string[] Layers = ["Security", "Web", "Data", "Hosting", "Commands"];

        public Dictionary<string, Dictionary<string, SortedSet<string>>> Edges { get; } = new(StringComparer.Ordinal);

        public static FolderGraph Read(string sourceRoot)
        {
            var graph = new FolderGraph();
            var features = Directory.GetDirectories(Path.Combine(sourceRoot, "Features")).Select(Path.GetFileName).OfType<string>().ToArray();
            var sibling = new Regex(@"(?<![\w.])(" + string.Join('|', features) + @")\.[A-Z]\w*");
            foreach (var file in Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(sourceRoot, file).Replace('\\', '/');
                if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal) || FolderOf(relative) is not { } from)
                {
                    continue;
                }

                var code = Comment().Replace(File.ReadAllText(file), "");
                var targets = Qualified().Matches(code).Concat(Relative().Matches(code)).Select(m => FolderOfNamespace(m.Groups[1].Value)).ToList();
                if (code.Contains("namespace CouponDesk.Features.", StringComparison.Ordinal))
                {
                    targets.AddRange(sibling.Matches(code).Select(m => "Features/" + m.Groups[1].Value));
                }

                foreach (var to in targets.OfType<string>().Where(t => t != from))
                {
                    graph.Add(from, to, Path.GetFileName(relative));
                }
            }

            return graph;
        }

        public void Add(string from, string to, string file)
        {
            if (!Edges.TryGetValue(from, out var targets))
            {
                Edges[from] = targets = new(StringComparer.Ordinal);
            }

            if (!targets.TryGetValue(to, out var files))
            {
                targets[to] = files = new(StringComparer.Ordinal);
            }

            files.Add(file);
        }

        /// <summary>One named cycle per strongly connected group of folders: the shortest way round from its first folder.</summary>
        public List<string> Cycles() =>
            [.. StronglyConnected().Where(g => g.Count > 1).Select(g => Describe(ShortestCycle(g.Min(StringComparer.Ordinal)!, g)))];

        private static string? FolderOf(string relative)
        {
            var parts = relative.Split('/');
            return relative is "Program.cs" or "Hosting/CouponDeskHost.cs" || parts.Length < 2 ? null
                : parts[0] is "Features" or "Integrations" && parts.Length > 2 ? $"{parts[0]}/{parts[1]}"
                : parts[0];
        }

        private static string? FolderOfNamespace(string ns)
        {
            var parts = ns.Split('.');
            return parts[0] is "Features" or "Integrations" && parts.Length > 1 ? $"{parts[0]}/{parts[1]}"
                : Layers.Contains(parts[0]) ? parts[0]
                : null;
        }

        private string Describe(List<string> cycle)
        {
            var text = cycle[0];
            for (var i = 1; i < cycle.Count; i++)
            {
                text += $" -> {cycle[i]} ({string.Join(", ", Edges[cycle[i - 1]][cycle[i]].Take(4))})";
            }

            return text;
        }

        private List<string> ShortestCycle(string start, HashSet<string> group)
        {
            var previous = new Dictionary<string, string>(StringComparer.Ordinal);
            var queue = new Queue<string>([start]);
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                foreach (var next in Edges.GetValueOrDefault(node)?.Keys.Where(group.Contains).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>())
                {
                    if (next == start)
                    {
                        var path = new List<string> { start };
                        for (var n = node; n != start; n = previous[n])
                        {
                            path.Insert(1, n);
                        }

                        path.Add(start);
                        return path;
                    }

                    if (previous.TryAdd(next, node))
                    {
                        queue.Enqueue(next);
                    }
                }
            }

            throw new InvalidOperationException("no cycle through " + start);
        }

        /// <summary>Tarjan's strongly connected components.</summary>
        private List<HashSet<string>> StronglyConnected()
        {
            var nodes = Edges.Keys.Concat(Edges.Values.SelectMany(t => t.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();
            var index = new Dictionary<string, int>();
            var low = new Dictionary<string, int>();
            var stack = new Stack<string>();
            var onStack = new HashSet<string>();
            var result = new List<HashSet<string>>();
            var counter = 0;

            void Visit(string v)
            {
                index[v] = low[v] = counter++;
                stack.Push(v);
                onStack.Add(v);
                foreach (var w in Edges.GetValueOrDefault(v)?.Keys ?? Enumerable.Empty<string>())
                {
                    if (!index.TryGetValue(w, out var wIndex))
                    {
                        Visit(w);
                        low[v] = Math.Min(low[v], low[w]);
                    }
                    else if (onStack.Contains(w))
                    {
                        low[v] = Math.Min(low[v], wIndex);
                    }
                }

                if (low[v] == index[v])
                {
                    var group = new HashSet<string>(StringComparer.Ordinal);
                    string w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        group.Add(w);
                    }
                    while (w != v);
                    result.Add(group);
                }
            }

            foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
            {
                Visit(node);
            }

            return result;
        }

        [GeneratedRegex(@"\bCouponDesk\.((?:Features|Integrations)\.\w+|\w+)")]
        private static partial Regex Qualified();

        /// <summary>A name qualified from a parent namespace, e.g. <c>Features.Messages.MessageType</c> or <c>Hosting.AppRoles</c>.</summary>
        [GeneratedRegex(@"(?<![\w.])((?:Features|Integrations)\.\w+|(?:Security|Web|Hosting|Commands)(?=\.[A-Z]))")]
        private static partial Regex Relative();

        [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
        private static partial Regex Comment();
    }
}
