using System.Management.Automation.Language;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>
/// build.ps1 and tools/*.ps1 cannot run here (no pwsh), so at least PowerShell's parser checks them, and the
/// pinned tool versions and tasks the README promises are what the script declares.
/// </summary>
public sealed class ScriptTests
{
    public static TheoryData<string> Scripts() => new() { "build.ps1", "tools/Measure-ImportTime.ps1" };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void The_script_parses_and_runs_in_strict_mode_stopping_on_errors(string script)
    {
        ScriptBlockAst ast = Parse(script);
        string text = ast.Extent.Text;
        Assert.Contains("Set-StrictMode -Version Latest", text, StringComparison.Ordinal);
        Assert.Contains("$ErrorActionPreference = 'Stop'", text, StringComparison.Ordinal);
        Assert.NotNull(ast.GetHelpContent()?.Synopsis);
    }

    [Fact]
    public void build_ps1_offers_the_four_tasks_and_pins_Pester_and_platyPS()
    {
        ScriptBlockAst ast = Parse("build.ps1");
        ParameterAst task = ast.ParamBlock!.Parameters.Single(p => p.Name.VariablePath.UserPath == "Task");
        var validateSet = task.Attributes.OfType<AttributeAst>().Single(a => a.TypeName.Name == "ValidateSet");
        Assert.Equal(new[] { "Build", "Test", "Docs", "Package" }, validateSet.PositionalArguments.Cast<StringConstantExpressionAst>().Select(s => s.Value));

        var functions = ast.FindAll(a => a is FunctionDefinitionAst, false).Cast<FunctionDefinitionAst>().Select(f => f.Name).ToHashSet();
        Assert.Subset(functions, new HashSet<string> { "Invoke-Build", "Invoke-Test", "Invoke-Docs", "Invoke-Package" });

        var assignments = ast.FindAll(a => a is AssignmentStatementAst, false).Cast<AssignmentStatementAst>()
            .ToDictionary(a => a.Left.Extent.Text, a => a.Right.Extent.Text);
        Assert.Equal("'5.7.1'", assignments["$PesterVersion"]);
        Assert.Equal("'0.14.2'", assignments["$PlatyPSVersion"]);
    }

    private static ScriptBlockAst Parse(string script)
    {
        ScriptBlockAst ast = Parser.ParseFile(Path.Combine(ModulePackage.RepositoryRoot, script), out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
        return ast;
    }
}
