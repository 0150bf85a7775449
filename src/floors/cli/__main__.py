from floors.cli import program

program()
