#Requires -Version 7.0
<#
    The help a user of the laid-out module reads: Get-Help -Full of every exported cmdlet is complete and comes from the
    module's MAML, Get-Help about_Aurous shows the topic, and the MAML every build ships is exactly what docs/ generates.
    That last check needs Microsoft.PowerShell.PlatyPS at build.ps1's pinned version; where it is missing it is
    reported as skipped. No emulator needed.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # From the manifest, so a new cmdlet is checked without editing this file.
    $cmdlets = (Import-PowerShellDataFile (Get-TestModuleManifest)).CmdletsToExport | ForEach-Object { @{ Cmdlet = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:ModuleBase = Split-Path (Get-TestModuleManifest)
    $script:Remedy = "Fix docs/<Cmdlet>.md as docs/README.md describes, run './build.ps1 -Task Docs', commit docs/ and src/Aurous.PowerShell/en-US/, and rebuild."

    # A help object's property as the text Get-Help prints, empty when it is missing (build.ps1 runs Pester in strict mode).
    function Get-HelpText([object] $Object, [string] $Property) {
        $found = if ($null -ne $Object) { $Object.PSObject.Properties[$Property] }
        if ($found) { ($found.Value | Out-String).Trim() } else { '' }
    }
}

Describe 'Get-Help <Cmdlet> -Full' -ForEach $cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Cmdlet -Full
        $script:Command = Get-Command $Cmdlet
        # Documented parameters: everything but the common parameters (WhatIf and Confirm are documented).
        $script:Parameters = @($Command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters } | Sort-Object)
        $script:HelpParameters = @(if ($Help.parameters -and $Help.parameters.PSObject.Properties['parameter']) { $Help.parameters.parameter })
    }

    It 'comes from the module''s MAML, not from the cmdlet''s metadata alone' {
        $Help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo' -Because "en-US/Aurous.PowerShell.dll-Help.xml in $ModuleBase must describe $Cmdlet. $Remedy"
    }

    It 'has a synopsis and a description' {
        $Help.Synopsis.Trim() | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -BeLike "$Cmdlet *" -Because "a synopsis that is the syntax means the MAML has none. $Remedy"
        Get-HelpText $Help description | Should -Not -BeNullOrEmpty -Because $Remedy
    }

    It 'describes every parameter, and no parameter the cmdlet does not have' {
        @($HelpParameters | ForEach-Object name | Sort-Object) | Should -Be $Parameters -Because $Remedy
        foreach ($parameter in $HelpParameters) {
            Get-HelpText $parameter description | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description. $Remedy"
        }
    }

    It 'shows one syntax per parameter set' {
        @($Help.syntax.syntaxItem).Count | Should -Be $Command.ParameterSets.Count -Because $Remedy
    }

    It 'has at least 2 examples, each with its code and explanation' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2 -Because $Remedy
        foreach ($example in $examples) {
            $example.title | Should -Not -BeNullOrEmpty
            "$($example.code)" | Should -Match '\S' -Because "$($example.title) needs its code"
            Get-HelpText $example remarks | Should -Not -BeNullOrEmpty -Because "$($example.title) needs its explanation"
        }
    }

    It 'has no placeholder left and opens its page online' {
        ($Help | Out-String -Width 200) | Should -Not -Match '\{\{' -Because $Remedy
        @($Help.relatedLinks.navigationLink)[0].uri | Should -Be "https://github.com/aurous-labs/Aurous.PowerShell/blob/main/docs/$Cmdlet.md"
    }

    It 'reads clean: no markdown code fences, and no link to a docs/ file name' {
        $shown = $Help | Out-String -Width 200

        $shown | Should -Not -Match '```' -Because "build.ps1 moves each example's code out of its fence. $Remedy"
        @($shown -split '\r?\n' | Where-Object { $_ -match '\.(md|help\.txt)\s*$' -and $_ -notmatch 'https://' }) |
            Should -BeNullOrEmpty -Because 'a related link to a page of docs/ is no address Get-Help can open'
        @($Help.relatedLinks.navigationLink | Select-Object -Skip 1 | Where-Object { $_.uri }) | Should -BeNullOrEmpty
    }
}

Describe 'Get-Help about_Aurous' {
    It 'shows the about topic the module ships' {
        $topic = Get-Help about_Aurous | Out-String
        $shipped = Get-Content -Raw (Join-Path $ModuleBase 'en-US/about_Aurous.help.txt')

        $topic | Should -Match '(?m)^TOPIC\s+about_Aurous'
        $topic | Should -Match '(?m)^SHORT DESCRIPTION$'
        $topic | Should -Match '(?m)^TROUBLESHOOTING NOTE$'
        $topic.Trim() -replace '\r\n', "`n" | Should -Be ($shipped.Trim() -replace '\r\n', "`n")
    }
}

Describe 'The shipped MAML' {
    BeforeAll {
        $build = Join-Path $Root 'build.ps1'
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($build, [ref] $null, [ref] $null)
        $script:PlatyPSVersion = $ast.Find({
                param($node)
                $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Left.Extent.Text -eq '$PlatyPSVersion'
            }, $false).Right.Extent.Text.Trim("'")

        # On PSModulePath, or in the offline module folder CI keeps beside the clone.
        $script:ModulePathAddition = $null
        $onPath = Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS | Where-Object { $_.Version -eq [version] $PlatyPSVersion }
        $shared = Join-Path $Root '../shared/tools/Modules'
        if (-not $onPath -and (Test-Path (Join-Path $shared "Microsoft.PowerShell.PlatyPS/$PlatyPSVersion"))) {
            $script:ModulePathAddition = (Resolve-Path $shared).Path
        }
        $script:PlatyPSAvailable = [bool] ($onPath -or $ModulePathAddition)

        $script:Committed = Join-Path $Root 'src/Aurous.PowerShell/en-US/Aurous.PowerShell.dll-Help.xml'
        $script:Shipped = Join-Path $ModuleBase 'en-US/Aurous.PowerShell.dll-Help.xml'

        # The first line that differs, so a failure shows what changed.
        function Compare-Help([string] $Expected, [string] $Actual) {
            $expectedLines = (Get-Content -Raw $Expected) -replace '\r\n', "`n" -split "`n"
            $actualLines = (Get-Content -Raw $Actual) -replace '\r\n', "`n" -split "`n"
            for ($i = 0; $i -lt [Math]::Max($expectedLines.Count, $actualLines.Count); $i++) {
                $expectedLine = if ($i -lt $expectedLines.Count) { $expectedLines[$i] } else { '(end of file)' }
                $actualLine = if ($i -lt $actualLines.Count) { $actualLines[$i] } else { '(end of file)' }
                if ($expectedLine -cne $actualLine) {
                    return "line $($i + 1):`n  $Expected`n    $expectedLine`n  $Actual`n    $actualLine"
                }
            }
        }
    }

    It 'is the committed copy' {
        Compare-Help $Committed $Shipped | Should -BeNullOrEmpty -Because "the module at $ModuleBase was built before the help last changed: rebuild it (dotnet build src/Aurous.PowerShell -c Release)"
    }

    It 'is exactly what ./build.ps1 -Task Docs generates from docs/' {
        if (-not $PlatyPSAvailable) {
            Set-ItResult -Skipped -Because "Microsoft.PowerShell.PlatyPS $PlatyPSVersion is neither on PSModulePath nor in ../shared/tools/Modules, so the MAML cannot be regenerated here (CI has it)"
            return
        }

        $previousModulePath = $env:PSModulePath
        if ($ModulePathAddition) {
            $env:PSModulePath = $ModulePathAddition + [IO.Path]::PathSeparator + $env:PSModulePath
        }
        try {
            $null = & (Join-Path $Root 'build.ps1') -Task Docs -HelpDirectory $TestDrive 6>&1
        }
        finally {
            $env:PSModulePath = $previousModulePath
        }

        Compare-Help (Join-Path $TestDrive 'Aurous.PowerShell.dll-Help.xml') $Committed | Should -BeNullOrEmpty -Because "docs/ and the committed help disagree: run './build.ps1 -Task Docs' and commit src/Aurous.PowerShell/en-US/ with the pages (docs/README.md)"
    }
}
